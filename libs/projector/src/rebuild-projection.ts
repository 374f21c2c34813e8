import type { EventLog, LogRecord, TopicPartition } from '@baton/eventlog';
import type { SqlClient } from '@baton/sql';
import { projectRecords, PROJECTED_TOPICS } from './project-batch';

export interface RebuildOptions {
  /** Records per SQL transaction. Default 500 (the consumer's batch size). */
  readonly batchSize?: number;
  /** Called after each partition, e.g. for a CLI's progress line. */
  readonly onProgress?: (progress: { topic: string; partition: number; records: number }) => void;
}

export interface RebuildResult {
  /** Records read, per topic. */
  readonly records: Readonly<Record<string, number>>;
  /** Run events folded into the run rows. */
  readonly applied: number;
  /** Step log records written. */
  readonly stepLogs: number;
  /**
   * Records that could not be decoded or that the read model refused (the
   * live projector dead-lettered them already; they are not sent again).
   */
  readonly refused: number;
}

/**
 * Rebuilds the read model's run tables from the log: empties runs, steps,
 * step_attempts, run_events and step_logs (workflows and their versions are
 * the registry's, not a projection, and stay), then reads every partition of
 * `baton.run-events` and `baton.step-logs` from offset 0 and projects it in
 * batches, through the same code as the live projector.
 *
 * Refuses, before it empties anything, when retention has dropped the start
 * of a partition: a rebuild from what is left would lose runs. The archive
 * keeps every event (`npm run rebuild-from-archive`).
 *
 * Stop the projectors first. Their committed offsets are left alone: when
 * they resume, what the rebuild already covered is at or below each run's
 * `last_seq` and is skipped. Between the TRUNCATE and the end, readers see a
 * partial read model (a rebuild is an operator's repair, not a live path).
 *
 * @example
 *   const result = await rebuildProjection(log, sql, { onProgress: (p) => console.log(p) });
 */
export async function rebuildProjection(
  log: EventLog,
  sql: SqlClient,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 500;
  const partitions = await projectedPartitions(log);
  await assertNothingTrimmed(log, partitions);
  await sql.query('TRUNCATE run_events, step_attempts, steps, runs, step_logs, run_awaits');
  const records: Record<string, number> = {};
  let applied = 0;
  let stepLogs = 0;
  let refused = 0;
  const flush = async (batch: LogRecord[]) => {
    if (batch.length === 0) return;
    const { result, deadLetters } = await projectRecords(sql, batch, 0);
    applied += result.applied;
    stepLogs += result.logs;
    refused += deadLetters.length;
  };
  for (const topic of PROJECTED_TOPICS) records[topic] = 0;
  for (const { topic, partition } of partitions) {
    let batch: LogRecord[] = [];
    let count = 0;
    for await (const record of log.readPartition(topic, partition, 0)) {
      batch.push(record);
      count++;
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    await flush(batch);
    records[topic] += count;
    options.onProgress?.({ topic, partition, records: count });
  }
  return { records, applied, stepLogs, refused };
}

/** Every partition of the projected topics, in the order a rebuild reads them. */
async function projectedPartitions(log: EventLog): Promise<TopicPartition[]> {
  const all: TopicPartition[] = [];
  for (const topic of PROJECTED_TOPICS) {
    const count = await log.partitionCount(topic);
    for (let partition = 0; partition < count; partition++) all.push({ topic, partition });
  }
  return all;
}

async function assertNothingTrimmed(log: EventLog, partitions: readonly TopicPartition[]): Promise<void> {
  const trimmed: string[] = [];
  for (const { topic, partition } of partitions) {
    const { start } = await log.partitionOffsets(topic, partition);
    if (start > 0) trimmed.push(`${topic}[${partition}] starts at offset ${start}`);
  }
  if (trimmed.length > 0) {
    throw new Error(
      `cannot rebuild the read model from the log: retention dropped older records (${trimmed.join(', ')}); ` +
        'rebuild it from the archive instead: npm run rebuild-from-archive',
    );
  }
}
