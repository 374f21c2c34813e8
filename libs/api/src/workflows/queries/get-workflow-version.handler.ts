import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { WorkflowVersion } from '@baton/readmodel';
import { WorkflowsService } from '../workflows.service';
import { GetWorkflowVersionQuery } from './get-workflow-version.query';

/** Reads through `WorkflowsService`, which owns how the registry is read (404 for an unknown version). */
@QueryHandler(GetWorkflowVersionQuery)
export class GetWorkflowVersionHandler implements IQueryHandler<GetWorkflowVersionQuery> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'getVersion'>) {}

  execute({ workflowId, version }: GetWorkflowVersionQuery): Promise<WorkflowVersion> {
    return this.workflows.getVersion(workflowId, version);
  }
}
