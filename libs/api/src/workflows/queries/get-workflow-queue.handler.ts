import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import { WorkflowQueueApiService } from '../workflow-queue.service';
import { GetWorkflowQueueQuery } from './get-workflow-queue.query';

/** Reads through `WorkflowQueueApiService.queue` (404 for an unknown workflow). */
@QueryHandler(GetWorkflowQueueQuery)
export class GetWorkflowQueueHandler implements IQueryHandler<GetWorkflowQueueQuery> {
  constructor(
    @Inject(WorkflowQueueApiService) private readonly queue: Pick<WorkflowQueueApiService, 'queue'>,
  ) {}

  execute({ workflowId, query }: GetWorkflowQueueQuery): Promise<WorkflowQueueView> {
    return this.queue.queue(workflowId, query);
  }
}
