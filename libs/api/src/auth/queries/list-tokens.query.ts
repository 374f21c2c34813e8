import { Query } from '@nestjs/cqrs';
import type { ApiToken } from '@baton/auth';

/** `GET /tokens`: every API token, revoked ones included, newest first (never their secrets). */
export class ListTokensQuery extends Query<ApiToken[]> {}
