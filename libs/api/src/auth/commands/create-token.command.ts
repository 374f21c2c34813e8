import { Command } from '@nestjs/cqrs';
import type { ApiToken } from '@baton/auth';
import type { CreateTokenDto } from '../tokens.dto';

/** `POST /tokens`: a new API token; the answer is the only time its text is shown. `by`: the creating admin. */
export class CreateTokenCommand extends Command<ApiToken & { token: string }> {
  constructor(
    readonly body: CreateTokenDto,
    readonly by: string,
  ) {
    super();
  }
}
