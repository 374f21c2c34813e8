import { Query } from '@nestjs/cqrs';
import type { Page, RunSummary } from '@baton/readmodel';
import type { ChildRunsQueryDto } from '../child-runs.dto';

/** `GET /runs/{runId}/children`, in iteration order. `scopes` as in `ListRunsQuery`. */
export class ListChildRunsQuery extends Query<Page<RunSummary>> {
  constructor(
    readonly runId: string,
    readonly query: ChildRunsQueryDto,
    readonly scopes: readonly string[] | null,
  ) {
    super();
  }
}
