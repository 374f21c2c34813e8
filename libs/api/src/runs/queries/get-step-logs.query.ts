import { Query } from '@nestjs/cqrs';
import type { StepLogs } from '@baton/readmodel';

/** `GET /runs/{runId}/steps/{stepId}/logs`: a step attempt's log tails (the latest attempt when none is named). */
export class GetStepLogsQuery extends Query<StepLogs> {
  constructor(
    readonly runId: string,
    readonly stepId: string,
    readonly attempt: number | undefined,
  ) {
    super();
  }
}
