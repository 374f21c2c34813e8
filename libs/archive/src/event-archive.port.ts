/**
 * The event archive (BRIEF point 8): a permanent, per-run event stream that
 * outlives Kafka's retention. The archiver appends every run event to its
 * run's stream; readers get a run's full history back, and rebuilds read
 * every stream in one global order.
 *
 * Two adapters pass the same contract suite (`event-archive.contract.ts`):
 * `PostgresEventArchive` (PostgreSQL, and PGlite in the embedded default) and
 * `EventStoreDbEventArchive` (`@eventstore/db-client`, stream `baton-run-<runId>`).
 *
 * Revisions are Baton's own numbers: a run's events carry `seq` 1, 2, 3...
 * with no gaps, so a stream's revision is the seq of its last event (0 for a
 * stream that does not exist yet), and an append of events `n..m` expects
 * revision `n - 1`.
 *
 * Idempotency: an event is identified by its Baton id `(runId, seq)`.
 * Appending events the stream already holds is a no-op (the archiver's
 * at-least-once re-deliveries); only the part beyond the stream's revision is
 * written. Two outcomes are errors (`ArchiveConflictError`), nothing of that
 * stream is written:
 * - `gap`: the stream's revision is below the expected one (events
 *   `revision + 1 .. expected` are missing);
 * - `mismatch`: the stream holds a different event under one of the seqs
 *   (two histories of one run: never re-appended silently).
 *
 * @example
 *   await archive.append([
 *     { runId: 'r-1', expectedRevision: 0, events: [archiveEvent(started, startedJson)] },
 *   ]);
 *   for await (const event of archive.readStream('r-1')) console.log(event.seq, event.type);
 *   for await (const event of archive.readAll({ after: checkpoint })) checkpoint = event.position;
 */
export interface EventArchive {
  /**
   * Appends each stream's events after its expected revision. The PostgreSQL
   * adapter writes the whole call in one transaction (all streams or none);
   * EventStoreDB has no multi-stream transaction and writes stream by
   * stream, so after a failure some streams of the call may be written (a
   * retry is idempotent). Resolves with one result per append, in order.
   */
  append(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** A run's events in seq order from `fromSeq` (default 1); empty for an unknown run. */
  readStream(runId: string, options?: ReadStreamOptions): AsyncIterable<ArchivedEvent>;
  /**
   * Every archived event of every run, in the archive's global order (a run's
   * events always in seq order), after `after` (exclusive; default: from the
   * beginning). For rebuilds and catch-up readers: remember the last
   * `position` seen and pass it back to resume.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<ArchivedEvent>;
  /** Releases connections the adapter opened itself. */
  close(): Promise<void>;
}

/**
 * An opaque, adapter-specific place in the archive's global order (a decimal
 * number on PostgreSQL, `<commit>/<prepare>` on EventStoreDB). Only pass it
 * back to the archive that produced it.
 */
export type ArchivePosition = string;

/** One run event as the archive stores it: its envelope plus the event as published. */
export interface ArchiveEvent {
  readonly runId: string;
  readonly seq: number;
  readonly type: string;
  readonly schemaVersion: number;
  /** Epoch ms (the event's `at`). */
  readonly at: number;
  /** The complete event, JSON text, as published on `baton.run-events`. */
  readonly json: string;
}

export interface ArchivedEvent extends ArchiveEvent {
  readonly position: ArchivePosition;
}

export interface StreamAppend {
  readonly runId: string;
  /** The seq of the last event the stream should hold already; 0 for a new stream. */
  readonly expectedRevision: number;
  /** Non-empty; every event of `runId`; seqs `expectedRevision + 1`, `+ 2`, ... without gaps. */
  readonly events: readonly ArchiveEvent[];
}

export interface AppendResult {
  readonly runId: string;
  /** Events written by this call (the rest were in the stream already). */
  readonly appended: number;
  /** Events the stream already held: idempotent no-ops. */
  readonly duplicates: number;
  /** The stream's revision after the append (the seq of its last event). */
  readonly revision: number;
}

export interface ReadStreamOptions {
  /** First seq to return (inclusive). Default 1. */
  readonly fromSeq?: number;
}

export interface ReadAllOptions {
  /** Return events after this position (exclusive). Default: from the start. */
  readonly after?: ArchivePosition;
}

/** An append the archive refused; nothing of `runId`'s stream was written by it. */
export class ArchiveConflictError extends Error {
  constructor(
    readonly runId: string,
    readonly kind: 'gap' | 'mismatch',
    /** The seq the append expected the stream to end at. */
    readonly expectedRevision: number,
    /** The seq the stream actually ends at. */
    readonly actualRevision: number,
    detail: string,
  ) {
    super(`archive stream of run ${runId}: ${detail}`);
    this.name = 'ArchiveConflictError';
  }
}
