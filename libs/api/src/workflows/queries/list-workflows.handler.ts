import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { WorkflowSummary } from '@baton/readmodel';
import { WorkflowsService } from '../workflows.service';
import { ListWorkflowsQuery } from './list-workflows.query';

/** Reads through `WorkflowsService`, which owns how the registry is read. */
@QueryHandler(ListWorkflowsQuery)
export class ListWorkflowsHandler implements IQueryHandler<ListWorkflowsQuery> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'list'>) {}

  execute({ caller }: ListWorkflowsQuery): Promise<WorkflowSummary[]> {
    return this.workflows.list(caller);
  }
}
