import { ArchiveConflictError, type ArchiveEvent, type StreamAppend } from './event-archive.port';

/** The envelope fields of a run event, as `RunEvent` has them. */
export interface RunEventEnvelope {
  readonly runId: string;
  readonly seq: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly at: number;
}

/** An `ArchiveEvent` from a run event and the JSON it was published as (default: its serialization). */
export function archiveEvent(event: RunEventEnvelope, json: string = JSON.stringify(event)): ArchiveEvent {
  return {
    runId: event.runId,
    seq: event.seq,
    type: event.type,
    schemaVersion: event.schemaVersion,
    at: event.at,
    json,
  };
}

/**
 * Refuses an append that breaks the port's shape (a caller's bug, not a
 * conflict with the stored stream): empty, foreign events, seqs that do not
 * follow `expectedRevision` one by one.
 */
export function assertWellFormed(append: StreamAppend): void {
  const { runId, expectedRevision, events } = append;
  if (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0) {
    throw new RangeError(`append to run ${runId}: expectedRevision must be an integer >= 0`);
  }
  if (events.length === 0) throw new RangeError(`append to run ${runId}: no events`);
  events.forEach((event, i) => {
    if (event.runId !== runId) {
      throw new RangeError(`append to run ${runId}: event ${i} belongs to run ${event.runId}`);
    }
    if (event.seq !== expectedRevision + 1 + i) {
      throw new RangeError(
        `append to run ${runId}: event ${i} has seq ${event.seq}, expected ${expectedRevision + 1 + i}`,
      );
    }
  });
}

export interface AppendPlan {
  /** The events beyond the stream's revision, to write. */
  readonly toWrite: readonly ArchiveEvent[];
  readonly duplicates: number;
}

/**
 * Decides what an append writes, given the stream's `revision` and the
 * stored JSON of the events the append overlaps (`stored`, by seq). Shared by
 * the adapters so both make the same call:
 * - revision below the expected one: a gap, refused;
 * - events at or below the revision: already there when the stored event is
 *   the same event, a mismatch otherwise;
 * - the rest is written.
 */
export function planAppend(
  append: StreamAppend,
  revision: number,
  stored: ReadonlyMap<number, string>,
): AppendPlan {
  const { runId, expectedRevision, events } = append;
  if (revision < expectedRevision) {
    throw new ArchiveConflictError(
      runId,
      'gap',
      expectedRevision,
      revision,
      `expected revision ${expectedRevision} but the stream ends at ${revision}; ` +
        `events ${revision + 1}..${expectedRevision} are missing`,
    );
  }
  const overlap = events.filter((event) => event.seq <= revision);
  for (const event of overlap) {
    const existing = stored.get(event.seq);
    if (existing === undefined || !sameEvent(existing, event.json)) {
      throw new ArchiveConflictError(
        runId,
        'mismatch',
        expectedRevision,
        revision,
        `seq ${event.seq} is already archived as a different event`,
      );
    }
  }
  return { toWrite: events.slice(overlap.length), duplicates: overlap.length };
}

/** Same JSON value, whatever the whitespace (the stores may not keep the text byte for byte). */
export function sameEvent(a: string, b: string): boolean {
  return a === b || JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
}
