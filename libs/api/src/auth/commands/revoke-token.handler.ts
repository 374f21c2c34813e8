import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ApiToken, type Authenticator, TokenStore } from '@baton/auth';
import { NotFoundError } from '../../http/api.errors';
import { AUTHENTICATOR } from '../auth.tokens';
import { RevokeTokenCommand } from './revoke-token.command';

/**
 * Revokes in the store (404 for no live token of that id) and forgets the
 * token in this process's cache at once; other API processes refuse it
 * within their cache's lifetime (10 s).
 */
@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand> {
  constructor(
    @Inject(TokenStore) private readonly tokens: Pick<TokenStore, 'revoke'>,
    @Inject(AUTHENTICATOR) private readonly authenticator: Pick<Authenticator, 'forget'>,
  ) {}

  async execute({ tokenId, by }: RevokeTokenCommand): Promise<ApiToken> {
    const revoked = await this.tokens.revoke(tokenId, by);
    if (!revoked) throw new NotFoundError(`no live token has id ${tokenId} (baton token list shows them)`);
    this.authenticator.forget(`token:${tokenId}`);
    return revoked;
  }
}
