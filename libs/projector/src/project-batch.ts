import { deadLetterRecord, Topics } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import { sqlState, type SqlClient } from '@baton/sql';
import { insertRunEvents, upsertStepLogs, type PublishedEvent, type StepLogRow } from './read-model-rows';
import { decodeRunEvent, decodeStepLogs } from './record-codec';
import { projectRunEvents, type RunProjectionResult } from './run-projection';
import { lockForSettling, settleLogs } from './run-settling';

/** The topics the projector reads. */
export const PROJECTED_TOPICS = [Topics.runEvents, Topics.stepLogs] as const;

/** A batch of records sorted into what can be projected and what cannot. */
export interface DecodedBatch {
  readonly events: readonly PublishedEvent[];
  readonly logs: readonly StepLogRow[];
  /** One per record that could not be decoded, with the reason; ready to send. */
  readonly deadLetters: readonly OutgoingRecord[];
  /** `at` of the batch's last event (for the lag metric); null without events. */
  readonly lastEventAt: number | null;
}

export interface BatchResult extends RunProjectionResult {
  readonly logs: number;
}

/** Pure: decodes records of one topic; `now` stamps the dead letters. */
export function decodeBatch(records: readonly LogRecord[], now: number): DecodedBatch {
  const events: PublishedEvent[] = [];
  const logs = new Map<string, StepLogRow>();
  const deadLetters: OutgoingRecord[] = [];
  for (const record of records) {
    if (record.topic === Topics.runEvents) {
      const decoded = decodeRunEvent(record);
      if (decoded.ok) events.push({ event: decoded.value, json: record.value! });
      else deadLetters.push(deadLetterRecord(record, decoded.reason, decoded.problems, now));
    } else if (record.topic === Topics.stepLogs) {
      const decoded = decodeStepLogs(record);
      if (!decoded.ok) {
        deadLetters.push(deadLetterRecord(record, decoded.reason, decoded.problems, now));
        continue;
      }
      const { runId, stepId, attempt, stdout, stderr, truncatedBytes } = decoded.value;
      // The last record per attempt wins (a multi-row upsert must not name a key twice).
      logs.set(`${runId}\u0000${stepId}\u0000${attempt}`, {
        runId,
        stepId,
        attempt,
        stdoutTail: storable(stdout),
        stderrTail: storable(stderr),
        truncated: truncatedBytes.stdout > 0 || truncatedBytes.stderr > 0,
        // The log's append time, not a clock: a rebuild writes the same row.
        updatedAt: record.timestamp,
      });
    } else {
      deadLetters.push(
        deadLetterRecord(record, `the projector does not read topic ${record.topic}`, [], now),
      );
    }
  }
  const last = events[events.length - 1];
  return { events, logs: [...logs.values()], deadLetters, lastEventAt: last ? last.event.at : null };
}

/**
 * PostgreSQL text cannot hold U+0000, which a step may well print; it is
 * stored as U+FFFD, so the tail (which a run's terminal status may wait for)
 * is never refused.
 */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** Writes a decoded batch in ONE transaction: all of it or none of it. */
export function projectBatch(sql: SqlClient, batch: DecodedBatch): Promise<BatchResult> {
  if (batch.events.length === 0 && batch.logs.length === 0) return Promise.resolve(EMPTY);
  return sql.transaction(async (tx) => {
    // Every lock the transaction needs, at once and in order.
    await lockForSettling(tx, [...batch.events.map((p) => p.event.runId), ...batch.logs.map((l) => l.runId)]);
    const result = await projectRunEvents(tx, batch.events);
    await upsertStepLogs(tx, batch.logs);
    await settleLogs(tx, batch.logs);
    return { ...result, logs: batch.logs.length };
  });
}

export interface ProjectedRecords {
  readonly result: BatchResult;
  /** Undecodable records, and records the read model refused, with the reason; to send. */
  readonly deadLetters: readonly OutgoingRecord[];
  readonly lastEventAt: number | null;
}

/**
 * Decodes and projects records of one topic-partition in one transaction.
 *
 * If the database refuses the batch for what is in it (SQLSTATE class 22 or
 * 23: a constraint, a value out of range), retrying it as is would stall the
 * partition forever. The records are then projected one per transaction; a
 * record refused on its own becomes a dead letter with the database's reason
 * (a refused event is still stored in run_events, as published, so the event
 * list stays the log's). Any other error (connection, ...) is thrown: the
 * caller retries the batch.
 */
export async function projectRecords(
  sql: SqlClient,
  records: readonly LogRecord[],
  now: number,
): Promise<ProjectedRecords> {
  const decoded = decodeBatch(records, now);
  try {
    const result = await projectBatch(sql, decoded);
    return { result, deadLetters: decoded.deadLetters, lastEventAt: decoded.lastEventAt };
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  let result = EMPTY;
  const deadLetters: OutgoingRecord[] = [...decoded.deadLetters];
  for (const record of records) {
    const one = decodeBatch([record], now);
    if (one.deadLetters.length > 0) continue; // already among the dead letters
    try {
      result = add(result, await projectBatch(sql, one));
    } catch (error) {
      if (!isDataError(error)) throw error;
      deadLetters.push(
        deadLetterRecord(record, `the read model refused the record: ${String(error)}`, [], now),
      );
      if (one.events.length > 0) await sql.transaction((tx) => insertRunEvents(tx, one.events));
    }
  }
  return { result, deadLetters, lastEventAt: decoded.lastEventAt };
}

const EMPTY: BatchResult = { applied: 0, duplicates: 0, withoutRun: 0, gaps: [], facts: [], logs: 0 };

function add(a: BatchResult, b: BatchResult): BatchResult {
  return {
    applied: a.applied + b.applied,
    duplicates: a.duplicates + b.duplicates,
    withoutRun: a.withoutRun + b.withoutRun,
    gaps: [...a.gaps, ...b.gaps],
    facts: [...a.facts, ...b.facts],
    logs: a.logs + b.logs,
  };
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the data is at fault, not the connection. */
function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}
