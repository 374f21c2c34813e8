import { Query } from '@nestjs/cqrs';
import type { Principal, Role } from '@baton/auth';

export interface CallerView {
  readonly subject: string;
  readonly role: Role;
  /** Workflow-id prefixes; null: every workflow. */
  readonly scopes: string[] | null;
}

/** `GET /auth/me`: who the bearer token is (the web UI hides the actions a viewer may not take). */
export class GetCallerQuery extends Query<CallerView> {
  constructor(readonly caller: Principal) {
    super();
  }
}
