import { type EventBus, ofType } from '@nestjs/cqrs';
import type { BatonLogger } from '@baton/observability';
import { filter, map, type Observable, ReplaySubject, takeUntil } from 'rxjs';
import { Topics, type StatusCloudEvent } from '@baton/contracts';
import type { Batch, Consumer, EventLog } from '@baton/eventlog';
import { StatusEventReceived } from './status-event-received.event';

/** Which status events a client wants; omitted fields match everything. */
export interface StatusFilter {
  readonly runId?: string;
  readonly workflowId?: string;
  /** Only workflows whose id starts with one of these (a scoped caller's); omitted: every workflow. */
  readonly workflowPrefixes?: readonly string[];
}

/**
 * One consumer of `baton.status-events` per API process, published on the
 * process's `EventBus` as `StatusEventReceived`; every connected SSE client
 * subscribes to the bus (each filters its own view).
 *
 * The group id is unique to this process and starts from the latest offset:
 * every API process sees every status event from the moment it started, and
 * nothing it missed while down (clients that need history read
 * `GET /runs/{id}/events`). Offsets are never committed: the group is
 * thrown away with the process.
 */
export class StatusEventsHub {
  /** Emits once, at `stop`: every client's stream completes (a replay subject, so a late client's too). */
  private readonly stopped = new ReplaySubject<void>(1);
  private consumer: Consumer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly bus: Pick<EventBus, 'publish' | 'pipe'>,
    private readonly groupId: string,
    private readonly logger: BatonLogger,
  ) {}

  async start(): Promise<void> {
    if (this.consumer) return;
    this.consumer = this.log.consumer({
      groupId: this.groupId,
      topics: [Topics.statusEvents],
      startFrom: 'latest',
      eachBatch: async (batch) => this.publish(batch),
    });
    await this.consumer.start();
  }

  /** Stops consuming and completes every client's stream (so open responses end and the server can close). */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
    this.stopped.next();
    this.stopped.complete();
  }

  stream(wanted: StatusFilter): Observable<StatusCloudEvent> {
    return this.bus.pipe(
      ofType(StatusEventReceived),
      map((received) => received.event),
      takeUntil(this.stopped),
      filter(
        (event) =>
          (wanted.runId === undefined || event.data.runId === wanted.runId) &&
          (wanted.workflowId === undefined || event.data.workflowId === wanted.workflowId) &&
          (wanted.workflowPrefixes === undefined ||
            wanted.workflowPrefixes.some((prefix) => event.data.workflowId.startsWith(prefix))),
      ),
    );
  }

  /** Never throws: a failing batch would stop the partition, and one bad record must not silence the stream. */
  private publish(batch: Batch): void {
    for (const record of batch.records) {
      const event = parseStatusEvent(record.value);
      if (event) this.bus.publish(new StatusEventReceived(event));
      else
        this.logger.warn('skipped a malformed status event', {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
        });
    }
  }
}

function parseStatusEvent(value: string | null): StatusCloudEvent | null {
  if (value === null) return null;
  try {
    const event = JSON.parse(value) as Partial<StatusCloudEvent> | null;
    if (
      typeof event === 'object' &&
      event !== null &&
      typeof event.id === 'string' &&
      typeof event.type === 'string' &&
      typeof event.data === 'object' &&
      event.data !== null &&
      typeof event.data.runId === 'string'
    ) {
      return event as StatusCloudEvent;
    }
  } catch {
    // not JSON: reported by the caller
  }
  return null;
}
