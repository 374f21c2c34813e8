import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type {
  AppendResult,
  ArchivedEvent,
  ArchivePosition,
  EventArchive,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
} from '../event-archive.port';
import { assertWellFormed, planAppend, type AppendPlan } from '../stream-append';
import { eventIdFor, RUN_STREAM_PREFIX, runStreamName } from './event-id';

/** What travels in an event's metadata: the envelope, so a reader needs not parse the data. */
interface ArchiveMetadata {
  runId: string;
  seq: number;
  schemaVersion: number;
  at: number;
}

/** Appends that lose a race with another appender of the same run re-decide this many times. */
const MAX_ATTEMPTS = 3;

/**
 * The archive in EventStoreDB: one stream per run (`baton-run-<runId>`),
 * ESDB revision `seq - 1`, each event a JSON event whose id is derived from
 * its Baton id (`eventIdFor`), its type the event's type, its data the event
 * as published and its metadata the envelope.
 *
 * An append per stream: read the stream's last revision, decide with the
 * same rules as PostgreSQL (`planAppend`: gaps and mismatches refused,
 * events already there skipped), then write only the new events with the
 * exact expected revision (`NO_STREAM` for a new stream). The read first is
 * needed because EventStoreDB's own idempotency keys on event ids alone, and
 * ids derived from `(runId, seq)` would let a different event under a taken
 * seq pass as a duplicate. A concurrent appender moving the stream in between
 * makes the write fail with `WrongExpectedVersionError`, and the append
 * decides again.
 *
 * `readAll` reads `$all` and keeps the `baton-run-` streams (the 6.x client's
 * `readAll` has no server-side filter; `subscribeToAll` has, for a live
 * reader). Positions are `<commit>/<prepare>`.
 *
 * Not run in this repository's CI (no server can be installed here): its
 * contract run is `*.esdb.spec.ts`, enabled by `BATON_TEST_EVENTSTORE_URL`.
 *
 * @example
 *   const archive = EventStoreDbEventArchive.connect('esdb://127.0.0.1:2113?tls=false');
 */
export class EventStoreDbEventArchive implements EventArchive {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly ownsClient = false,
  ) {}

  static connect(connectionString: string): EventStoreDbEventArchive {
    return new EventStoreDbEventArchive(EventStoreDBClient.connectionString(connectionString), true);
  }

  async append(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    appends.forEach(assertWellFormed);
    if (new Set(appends.map((a) => a.runId)).size !== appends.length) {
      throw new RangeError('append: one StreamAppend per run per call');
    }
    const results: AppendResult[] = [];
    // No multi-stream transaction in EventStoreDB: stream by stream, in order.
    for (const append of appends) results.push(await this.appendOne(append));
    return results;
  }

  async *readStream(runId: string, options: ReadStreamOptions = {}): AsyncIterable<ArchivedEvent> {
    const fromSeq = options.fromSeq ?? 1;
    const read = this.client.readStream(runStreamName(runId), {
      direction: FORWARDS,
      fromRevision: BigInt(Math.max(0, fromSeq - 1)),
    });
    try {
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const event = toArchived(resolved);
        if (event) yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<ArchivedEvent> {
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: after ?? START });
    for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
      const recorded = resolved.event;
      if (!recorded || !recorded.streamId.startsWith(RUN_STREAM_PREFIX)) continue;
      // `fromPosition` is inclusive; the port's `after` is not.
      if (after && recorded.position.commit === after.commit && recorded.position.prepare === after.prepare) {
        continue;
      }
      const event = toArchived(resolved);
      if (event) yield event;
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.dispose();
  }

  private async appendOne(append: StreamAppend): Promise<AppendResult> {
    const stream = runStreamName(append.runId);
    const last = append.events[append.events.length - 1]!;
    for (let attempt = 1; ; attempt++) {
      const revision = await this.revisionOf(stream);
      const stored = revision > append.expectedRevision ? await this.readOverlap(append, revision) : EMPTY;
      const plan: AppendPlan = planAppend(append, revision, stored);
      const result = {
        runId: append.runId,
        appended: plan.toWrite.length,
        duplicates: plan.duplicates,
        revision: Math.max(revision, last.seq),
      };
      if (plan.toWrite.length === 0) return result;
      try {
        await this.client.appendToStream(
          stream,
          plan.toWrite.map((event) =>
            jsonEvent({
              id: eventIdFor(event.runId, event.seq),
              type: event.type,
              data: JSON.parse(event.json) as Record<string, unknown>,
              metadata: {
                runId: event.runId,
                seq: event.seq,
                schemaVersion: event.schemaVersion,
                at: event.at,
              } satisfies ArchiveMetadata,
            }),
          ),
          { expectedRevision: revision === 0 ? NO_STREAM : BigInt(revision - 1) },
        );
        return result;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** The seq of the stream's last event; 0 when the stream does not exist. */
  private async revisionOf(stream: string): Promise<number> {
    try {
      const read = this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) return Number(resolved.event.revision) + 1;
      }
      return 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw error;
    }
  }

  private async readOverlap(append: StreamAppend, revision: number): Promise<Map<number, string>> {
    const stored = new Map<number, string>();
    const read = this.client.readStream(runStreamName(append.runId), {
      direction: FORWARDS,
      fromRevision: BigInt(append.expectedRevision),
      maxCount: revision - append.expectedRevision,
    });
    for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
      const event = toArchived(resolved);
      if (event) stored.set(event.seq, event.json);
    }
    return stored;
  }
}

const EMPTY: ReadonlyMap<number, string> = new Map();

function toArchived(resolved: ResolvedEvent | AllStreamResolvedEvent): ArchivedEvent | null {
  const recorded = resolved.event;
  if (!recorded || !recorded.isJson) return null;
  const metadata = recorded.metadata as unknown as ArchiveMetadata;
  const position = recorded.position ?? positionOf(resolved.commitPosition);
  return {
    runId: metadata.runId,
    seq: metadata.seq,
    type: recorded.type,
    schemaVersion: metadata.schemaVersion,
    at: metadata.at,
    json: JSON.stringify(recorded.data),
    position: position ? `${position.commit}/${position.prepare}` : '',
  };
}

function positionOf(commit: bigint | undefined): Position | undefined {
  return commit === undefined ? undefined : { commit, prepare: commit };
}

function parsePosition(position: ArchivePosition): Position {
  const match = /^(\d+)\/(\d+)$/.exec(position);
  if (!match) throw new RangeError(`readAll: '${position}' is not an EventStoreDB archive position`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
