import type { Provider } from '@nestjs/common';
import { CreateTokenHandler } from './commands/create-token.handler';
import { RevokeTokenHandler } from './commands/revoke-token.handler';
import { GetCallerHandler } from './queries/get-caller.handler';
import { ListTokensHandler } from './queries/list-tokens.handler';

/** The bus handlers behind `TokensController` and `WhoAmIController`. */
export const AUTH_HANDLERS: Provider[] = [
  CreateTokenHandler,
  RevokeTokenHandler,
  ListTokensHandler,
  GetCallerHandler,
];
