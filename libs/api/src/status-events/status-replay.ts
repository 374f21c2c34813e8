import { Observable } from 'rxjs';
import type { StatusCloudEvent } from '@baton/contracts';
import { upcastRunEvent, type RunEvent } from '@baton/domain';
import { statusCloudEvent } from '@baton/contracts';
import type { RunEventRecord } from '@baton/readmodel';

/** CloudEvents `source` of status events replayed by the API (live ones say `baton/engine`). */
export const REPLAY_SOURCE = 'baton/api';
/** A reconnecting client gets at most this many missed events; past that it should reload the run. */
export const MAX_REPLAYED_EVENTS = 10_000;

/**
 * The seq after which a run's stream resumes, from the SSE `Last-Event-ID`
 * header (`<runId>/<seq>`, the id of every status event), or null: no header,
 * a malformed one, or one of another run than the stream's.
 */
export function resumeSeq(lastEventId: string | undefined, runId: string | undefined): number | null {
  if (!lastEventId || !runId) return null;
  const slash = lastEventId.lastIndexOf('/');
  if (slash <= 0 || lastEventId.slice(0, slash) !== runId) return null;
  const seq = Number(lastEventId.slice(slash + 1));
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

/**
 * A run's status events from just after `afterSeq`: the missed ones first,
 * from `missed()`, then the live ones. Live events are subscribed to before
 * `missed()` is asked and held until it answers, so none falls between the
 * two; each seq is emitted once, in order.
 */
export function resumedStream(
  live: Observable<StatusCloudEvent>,
  afterSeq: number,
  missed: () => Promise<readonly StatusCloudEvent[]>,
): Observable<StatusCloudEvent> {
  return new Observable<StatusCloudEvent>((subscriber) => {
    let last = afterSeq;
    let held: StatusCloudEvent[] | null = [];
    const emit = (event: StatusCloudEvent) => {
      if (event.data.seq <= last) return;
      last = event.data.seq;
      subscriber.next(event);
    };
    const release = () => {
      const events = held ?? [];
      held = null;
      events.forEach(emit);
    };
    const subscription = live.subscribe({
      next: (event) => (held ? held.push(event) : emit(event)),
      error: (error) => subscriber.error(error),
      complete: () => {
        release();
        subscriber.complete();
      },
    });
    missed().then(
      (events) => {
        [...events].sort((a, b) => a.data.seq - b.data.seq).forEach(emit);
        release();
      },
      // A replay that fails leaves the live stream; the client refetches the run on reconnect anyway.
      () => release(),
    );
    return () => subscription.unsubscribe();
  });
}

/** The status events among a run's stored events (as `GET /runs/{id}/events` answers them). */
export function statusEventsOf(
  records: readonly RunEventRecord[],
  workflow: { readonly id: string; readonly version: number },
): StatusCloudEvent[] {
  return records.flatMap((record) => {
    // Stored events are as written (any schema version): upcast like every reader of recorded events.
    const current = upcastRunEvent(record.payload) as unknown as RunEvent;
    const event = statusCloudEvent(current, workflow, REPLAY_SOURCE);
    return event ? [event] : [];
  });
}
