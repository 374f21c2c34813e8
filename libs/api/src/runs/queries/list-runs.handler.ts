import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, RunQueries, type RunSummary } from '@baton/readmodel';
import { ListRunsQuery } from './list-runs.query';

const DEFAULT_RUNS_PAGE = 50;

/** Runs of other workflows than the caller's scopes are left out (by the SQL, so pages stay full). */
@QueryHandler(ListRunsQuery)
export class ListRunsHandler implements IQueryHandler<ListRunsQuery> {
  constructor(@Inject(RunQueries) private readonly queries: Pick<RunQueries, 'listRuns'>) {}

  execute({ query, scopes }: ListRunsQuery): Promise<Page<RunSummary>> {
    return this.queries.listRuns({
      ...(query.workflowId === undefined ? {} : { workflowId: query.workflowId }),
      ...(scopes === null ? {} : { workflowPrefixes: scopes }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.runIdPrefix === undefined ? {} : { runIdPrefix: query.runIdPrefix }),
      ...(query.createdAfter === undefined ? {} : { createdAfter: query.createdAfter }),
      ...(query.createdBefore === undefined ? {} : { createdBefore: query.createdBefore }),
      includeChildren: query.includeChildren === 'true',
      limit: query.limit ?? DEFAULT_RUNS_PAGE,
    });
  }
}
