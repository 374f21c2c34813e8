import { Query } from '@nestjs/cqrs';
import type { WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import type { WorkflowQueueQueryDto } from '../workflow-queue.dto';

/** `GET /workflows/{workflowId}/queue`: waiting runs in start order, paused, blocked, running. */
export class GetWorkflowQueueQuery extends Query<WorkflowQueueView> {
  constructor(
    readonly workflowId: string,
    readonly query: WorkflowQueueQueryDto,
  ) {
    super();
  }
}
