import { Query } from '@nestjs/cqrs';
import type { Principal } from '@baton/auth';
import type { WorkflowSummary } from '@baton/readmodel';

/** `GET /workflows`: every workflow the caller's scopes cover, with its active version, by id. */
export class ListWorkflowsQuery extends Query<WorkflowSummary[]> {
  constructor(readonly caller: Principal) {
    super();
  }
}
