import { Topics } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { projectRecords } from '@baton/projector';
import type { SqlClient } from '@baton/sql';
import type { ArchivedEvent, EventArchive } from '@baton/archive';

export interface RebuildFromArchiveOptions {
  /** Events per SQL transaction. Default 500 (the projector's batch size). */
  readonly batchSize?: number;
  /** Called after each batch, e.g. for a CLI's progress line. */
  readonly onProgress?: (progress: { events: number }) => void;
}

export interface RebuildFromArchiveResult {
  /** Events read from the archive. */
  readonly events: number;
  /** Events folded into the run rows. */
  readonly applied: number;
  /** Events the projection could not decode or the read model refused. */
  readonly refused: number;
}

/**
 * Rebuilds the read model's run tables from the archive (for when Kafka no
 * longer holds the history): empties runs, steps, step_attempts and
 * run_events, then reads every archived event in the archive's global order
 * (each run's events in seq order) and projects it in batches through the
 * projector's own code (`projectRecords`), exactly as if it came off
 * `baton.run-events`.
 *
 * `step_logs` is kept: executors' output tails are not run events and are
 * not archived, so truncating them would lose them for good. Workflows and
 * their versions (the registry) are kept too.
 *
 * Stop the projectors first; like `rebuildProjection`, readers see a partial
 * read model until it ends, and a projector resuming afterwards skips what
 * the rebuild covered (per-run `last_seq`).
 *
 * @example
 *   const result = await rebuildFromArchive(archive, sql, { onProgress: ({ events }) => console.log(events) });
 */
export async function rebuildFromArchive(
  archive: EventArchive,
  sql: SqlClient,
  options: RebuildFromArchiveOptions = {},
): Promise<RebuildFromArchiveResult> {
  const batchSize = options.batchSize ?? 500;
  await sql.query('TRUNCATE run_events, step_attempts, steps, runs, run_awaits');
  let events = 0;
  let applied = 0;
  let refused = 0;
  let batch: LogRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const projected = await projectRecords(sql, batch, 0);
    applied += projected.result.applied;
    refused += projected.deadLetters.length;
    events += batch.length;
    batch = [];
    options.onProgress?.({ events });
  };
  for await (const event of archive.readAll()) {
    batch.push(asLogRecord(event, events + batch.length));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { events, applied, refused };
}

/** The record the event was published as, give or take its partition and offset (the projection reads neither). */
function asLogRecord(event: ArchivedEvent, index: number): LogRecord {
  return {
    topic: Topics.runEvents,
    partition: 0,
    offset: index,
    key: event.runId,
    value: event.json,
    headers: {},
    timestamp: event.at,
  };
}
