import { Query } from '@nestjs/cqrs';
import type { WorkflowDetail } from '../workflows.service';

/** `GET /workflows/{workflowId}`: summary, active definition and source, and its versions. */
export class GetWorkflowQuery extends Query<WorkflowDetail> {
  constructor(readonly workflowId: string) {
    super();
  }
}
