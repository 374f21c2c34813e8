import { Query } from '@nestjs/cqrs';
import type { WorkflowVersion } from '@baton/readmodel';

/** `GET /workflows/{workflowId}/versions/{version}`: one version with its definition and source. */
export class GetWorkflowVersionQuery extends Query<WorkflowVersion> {
  constructor(
    readonly workflowId: string,
    readonly version: number,
  ) {
    super();
  }
}
