import { Query } from '@nestjs/cqrs';
import type { RunDetail } from '@baton/readmodel';

/** `GET /runs/{runId}`: a run with its steps and attempts. */
export class GetRunQuery extends Query<RunDetail> {
  constructor(readonly runId: string) {
    super();
  }
}
