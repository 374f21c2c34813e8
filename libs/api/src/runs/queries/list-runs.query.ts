import { Query } from '@nestjs/cqrs';
import type { Page, RunSummary } from '@baton/readmodel';
import type { ListRunsQueryDto } from '../runs.dto';

/**
 * `GET /runs`: runs, newest first, filtered and searched as the query says.
 * `scopes`: the caller's workflow-id prefixes (null: every workflow).
 */
export class ListRunsQuery extends Query<Page<RunSummary>> {
  constructor(
    readonly query: ListRunsQueryDto,
    readonly scopes: readonly string[] | null,
  ) {
    super();
  }
}
