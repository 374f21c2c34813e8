import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type WorkflowDetail, WorkflowsService } from '../workflows.service';
import { GetWorkflowQuery } from './get-workflow.query';

/** Reads through `WorkflowsService`, which owns how the registry is read (404 for an unknown workflow). */
@QueryHandler(GetWorkflowQuery)
export class GetWorkflowHandler implements IQueryHandler<GetWorkflowQuery> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'get'>) {}

  execute({ workflowId }: GetWorkflowQuery): Promise<WorkflowDetail> {
    return this.workflows.get(workflowId);
  }
}
