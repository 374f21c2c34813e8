import { Query } from '@nestjs/cqrs';
import type { Principal } from '@baton/auth';
import type { StatusCloudEvent } from '@baton/contracts';

/**
 * A run's status events after `afterSeq`, for an SSE client resuming with
 * `Last-Event-ID`: what it missed while disconnected, rebuilt from the
 * stored run events.
 */
export class MissedStatusEventsQuery extends Query<StatusCloudEvent[]> {
  constructor(
    readonly runId: string,
    readonly afterSeq: number,
    readonly caller: Principal,
  ) {
    super();
  }
}
