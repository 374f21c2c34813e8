import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ApiToken, TokenStore } from '@baton/auth';
import { CreateTokenCommand } from './create-token.command';

/** An empty scope list means every workflow (stored as null), as the DTO documents. */
@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand> {
  constructor(@Inject(TokenStore) private readonly tokens: Pick<TokenStore, 'create'>) {}

  async execute({ body, by }: CreateTokenCommand): Promise<ApiToken & { token: string }> {
    const created = await this.tokens.create({
      name: body.name,
      role: body.role,
      scopes: body.scopes?.length ? body.scopes : null,
      createdBy: by,
    });
    return { ...created.record, token: created.token };
  }
}
