import { Command } from '@nestjs/cqrs';
import type { ApiToken } from '@baton/auth';

/** `DELETE /tokens/{tokenId}`: refused from now on. `by`: the revoking admin. */
export class RevokeTokenCommand extends Command<ApiToken> {
  constructor(
    readonly tokenId: string,
    readonly by: string,
  ) {
    super();
  }
}
