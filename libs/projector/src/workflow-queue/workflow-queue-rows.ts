import type { JsonObject, RunStrategy } from '@baton/domain';
import { jsonParam, type SqlClient } from '@baton/sql';
import type { RecordedDropReason } from '@baton/readmodel';

/**
 * The workflow queue tables as the queue projector sees them (times in epoch
 * ms, like the events), read and written in bulk: a batch costs one locking
 * read, one upsert, one delete and two inserts, whatever its size. Each
 * statement takes its rows as arrays (keys) or one JSON parameter (rows), so
 * its text never depends on the row count and its prepared statement is
 * reused; keys go as arrays because the planner sees their length (a jsonb
 * set is guessed at 100 rows).
 */
export interface QueueStatusRow {
  readonly workflowId: string;
  readonly runStrategy: RunStrategy | null;
  readonly paused: boolean;
  readonly blockedBy: string | null;
  readonly running: readonly string[];
  readonly breakpoints: readonly string[];
  readonly lastSeq: number;
  readonly updatedAt: number;
}

export interface QueuedRunRow {
  readonly workflowId: string;
  readonly runId: string;
  readonly requestId: string;
  readonly position: number;
  readonly version: number;
  readonly queuedAt: number;
  /** As requested (the definition's defaults are applied when the run starts). */
  readonly params: JsonObject;
}

export type QueuedRunKey = Pick<QueuedRunRow, 'workflowId' | 'runId'>;

/** A request the run strategy dropped; `seq` is its `RunRequestDropped` event's. */
export interface DroppedRequestRow {
  readonly workflowId: string;
  readonly seq: number;
  readonly runId: string;
  readonly requestId: string;
  readonly reason: RecordedDropReason;
  readonly droppedAt: number;
}

/** Reads the status rows of `workflowIds`, locked for the rest of the transaction. */
export async function lockStatuses(
  tx: SqlClient,
  workflowIds: readonly string[],
): Promise<Map<string, QueueStatusRow>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await tx.query<{
    workflow_id: string;
    run_strategy: RunStrategy | null;
    paused: boolean;
    blocked_by: string | null;
    running_run_ids: string[];
    breakpoints: string[];
    last_seq: number | string;
    updated_at: Date;
  }>(
    `SELECT workflow_id, run_strategy, paused, blocked_by, running_run_ids, breakpoints, last_seq, updated_at
       FROM workflow_queue_status
      WHERE workflow_id = ANY($1::text[])
      ORDER BY workflow_id
      FOR UPDATE`,
    [workflowIds],
  );
  return new Map(
    rows.map((row) => [
      row.workflow_id,
      {
        workflowId: row.workflow_id,
        runStrategy: row.run_strategy,
        paused: row.paused,
        blockedBy: row.blocked_by,
        running: row.running_run_ids,
        breakpoints: row.breakpoints,
        lastSeq: Number(row.last_seq),
        updatedAt: row.updated_at.getTime(),
      },
    ]),
  );
}

export async function upsertStatuses(tx: SqlClient, rows: readonly QueueStatusRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO workflow_queue_status
       (workflow_id, run_strategy, paused, blocked_by, running_run_ids, running_count, breakpoints, last_seq, updated_at)
     SELECT r.workflow_id, r.run_strategy, r.paused, r.blocked_by, r.running_run_ids,
            jsonb_array_length(r.running_run_ids), r.breakpoints, r.last_seq, r.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS r(
         workflow_id text, run_strategy jsonb, paused boolean, blocked_by text, running_run_ids jsonb,
         breakpoints jsonb, last_seq bigint, updated_at timestamptz)
     ON CONFLICT (workflow_id) DO UPDATE SET
       run_strategy = EXCLUDED.run_strategy, paused = EXCLUDED.paused, blocked_by = EXCLUDED.blocked_by,
       running_run_ids = EXCLUDED.running_run_ids, running_count = EXCLUDED.running_count,
       breakpoints = EXCLUDED.breakpoints, last_seq = EXCLUDED.last_seq, updated_at = EXCLUDED.updated_at`,
    [
      jsonParam(
        rows.map((row) => ({
          workflow_id: row.workflowId,
          run_strategy: row.runStrategy,
          paused: row.paused,
          blocked_by: row.blockedBy,
          running_run_ids: row.running,
          breakpoints: row.breakpoints,
          last_seq: row.lastSeq,
          updated_at: new Date(row.updatedAt).toISOString(),
        })),
      ),
    ],
  );
}

export async function deleteQueuedRuns(tx: SqlClient, keys: readonly QueuedRunKey[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `DELETE FROM workflow_queue_runs q
      USING unnest($1::text[], $2::text[]) AS d(workflow_id, run_id)
      WHERE q.workflow_id = d.workflow_id AND q.run_id = d.run_id`,
    [keys.map((key) => key.workflowId), keys.map((key) => key.runId)],
  );
}

/** Inserts waiting runs; one already there (a re-delivery) is left as it is. */
export async function insertQueuedRuns(tx: SqlClient, rows: readonly QueuedRunRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO workflow_queue_runs (workflow_id, run_id, request_id, position, version, queued_at, params)
     SELECT r.workflow_id, r.run_id, r.request_id, r.position, r.version, r.queued_at, r.params
       FROM jsonb_to_recordset($1::jsonb) AS r(
         workflow_id text, run_id text, request_id text, position bigint, version integer, queued_at timestamptz,
         params jsonb)
     ON CONFLICT (workflow_id, run_id) DO NOTHING`,
    [
      jsonParam(
        rows.map((row) => ({
          workflow_id: row.workflowId,
          run_id: row.runId,
          request_id: row.requestId,
          position: row.position,
          version: row.version,
          queued_at: new Date(row.queuedAt).toISOString(),
          params: row.params,
        })),
      ),
    ],
  );
}

/** Records dropped requests; one already there (a re-delivery) is left as it is. */
export async function insertDroppedRequests(
  tx: SqlClient,
  rows: readonly DroppedRequestRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO workflow_queue_drops (workflow_id, seq, run_id, request_id, reason, dropped_at)
     SELECT r.workflow_id, r.seq, r.run_id, r.request_id, r.reason, r.dropped_at
       FROM jsonb_to_recordset($1::jsonb) AS r(
         workflow_id text, seq bigint, run_id text, request_id text, reason text, dropped_at timestamptz)
     ON CONFLICT (workflow_id, seq) DO NOTHING`,
    [
      jsonParam(
        rows.map((row) => ({
          workflow_id: row.workflowId,
          seq: row.seq,
          run_id: row.runId,
          request_id: row.requestId,
          reason: row.reason,
          dropped_at: new Date(row.droppedAt).toISOString(),
        })),
      ),
    ],
  );
}
