import type { IEvent } from '@nestjs/cqrs';
import type { StatusCloudEvent } from '@baton/contracts';

/** A status event read from `baton.status-events`, on the process's `EventBus` for its SSE clients. */
export class StatusEventReceived implements IEvent {
  constructor(readonly event: StatusCloudEvent) {}
}
