import { Query } from '@nestjs/cqrs';
import type { RunEventRecord } from '@baton/readmodel';
import type { RunEventsQueryDto } from '../runs.dto';

export interface RunEventsPage {
  readonly items: RunEventRecord[];
  readonly nextAfterSeq: number | null;
}

/** `GET /runs/{runId}/events`: a run's events by seq, a page at a time. */
export class ListRunEventsQuery extends Query<RunEventsPage> {
  constructor(
    readonly runId: string,
    readonly query: RunEventsQueryDto,
  ) {
    super();
  }
}
