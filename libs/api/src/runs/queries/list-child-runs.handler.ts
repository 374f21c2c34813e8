import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, RunQueries, type RunSummary } from '@baton/readmodel';
import { ListChildRunsQuery } from './list-child-runs.query';

const DEFAULT_RUNS_PAGE = 50;

/**
 * Like its events, an unknown run simply has no children (yet). A
 * subworkflow child of a workflow outside the caller's scopes is left out of
 * the page (the page may then be short; its cursor still holds).
 */
@QueryHandler(ListChildRunsQuery)
export class ListChildRunsHandler implements IQueryHandler<ListChildRunsQuery> {
  constructor(@Inject(RunQueries) private readonly queries: Pick<RunQueries, 'listChildRuns'>) {}

  async execute({ runId, query, scopes }: ListChildRunsQuery): Promise<Page<RunSummary>> {
    const page = await this.queries.listChildRuns(runId, {
      ...(query.stepId === undefined ? {} : { stepId: query.stepId }),
      ...(query.attempt === undefined ? {} : { attempt: query.attempt }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      limit: query.limit ?? DEFAULT_RUNS_PAGE,
    });
    if (scopes === null) return page;
    return {
      ...page,
      items: page.items.filter((child) => scopes.some((p) => child.workflowId.startsWith(p))),
    };
  }
}
