import type { JsonObject, LoopProgress, RunEvent } from '@baton/domain';
import { jsonbText, jsonParam, type SqlClient } from '@baton/sql';

/**
 * The read model's run tables as the projector sees them: one plain object
 * per row (times in epoch ms, like the events), read and written in bulk.
 * A batch costs a fixed number of statements whatever its size: lock/read
 * the runs, read the steps and attempts the events touch, then one
 * insert or upsert per table, its rows as column arrays (`insertMany`).
 */

export interface RunRow {
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  readonly status: string;
  readonly params: JsonObject;
  readonly requestId: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly timeoutAt: number | null;
  readonly failureReason: string | null;
  readonly failureStepId: string | null;
  readonly failureMessage: string | null;
  /** 1, then +1 per `RunRestarted`. */
  readonly runAttempt: number;
  /** The parent link of a child run (foreach, while, subworkflow); all null for a top-level run. */
  readonly parentRunId: string | null;
  readonly parentStepId: string | null;
  readonly parentAttempt: number | null;
  readonly parentIndex: number | null;
  /** 0 for a top-level run, 1 for its children... */
  readonly depth: number;
  readonly breakpoints: readonly string[];
  /** Set by `RunStopping`, cleared by `RunRestarted` (like the domain's `stopping`). */
  readonly stopReason: string | null;
  /** A terminal event already folded but not shown yet (see run-settling.ts); null otherwise. */
  readonly terminalPending: TerminalFields | null;
  readonly lastSeq: number;
  readonly updatedAt: number;
}

/** What a terminal event sets on the run row once it is shown. `endedAt` is ISO text (jsonb has no timestamps). */
export interface TerminalFields {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly endedAt: string;
  readonly failureReason: string | null;
  readonly failureStepId: string | null;
  readonly failureMessage: string | null;
}

export interface StepRow {
  readonly runId: string;
  readonly stepId: string;
  readonly status: string;
  readonly attempt: number;
  readonly params: JsonObject | null;
  readonly outputs: JsonObject | null;
  readonly readyAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly errorKind: string | null;
  readonly errorMessage: string | null;
  readonly skipReason: string | null;
  /** Only for a step skipped by a user: who or why. */
  readonly skipMessage: string | null;
  /** The signal a wait_for_signal step waits (or waited) for. */
  readonly waitSignal: string | null;
  /** Child-run counters of a foreach, while or subworkflow step; null for other steps. */
  readonly progress: LoopProgress | null;
  readonly updatedAt: number;
}

export interface AttemptRow {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** The run attempt the step attempt belongs to (null for rows projected before migration 0007). */
  readonly runAttempt: number | null;
  readonly status: string;
  readonly executorId: string | null;
  readonly readyAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly leaseExpiresAt: number | null;
  readonly errorKind: string | null;
  readonly message: string | null;
  readonly updatedAt: number;
}

export interface StepLogRow {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  readonly truncated: boolean;
  readonly updatedAt: number;
}

/** An event with the exact text it was published as (stored verbatim in `run_events.payload`). */
export interface PublishedEvent {
  readonly event: RunEvent;
  readonly json: string;
}

export interface StepKey {
  readonly runId: string;
  readonly stepId: string;
}

export interface AttemptKey extends StepKey {
  readonly attempt: number;
}

interface Column<R> {
  readonly name: string;
  /** SQL type of the column; its values go as one `type[]` parameter. */
  readonly type: string;
  readonly value: (row: R) => unknown;
}

const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const json = (value: unknown) => (value === null ? null : jsonParam(value));

const RUN_COLUMNS: readonly Column<RunRow>[] = [
  { name: 'run_id', type: 'text', value: (r) => r.runId },
  { name: 'workflow_id', type: 'text', value: (r) => r.workflowId },
  { name: 'workflow_version', type: 'integer', value: (r) => r.workflowVersion },
  { name: 'status', type: 'text', value: (r) => r.status },
  { name: 'params', type: 'jsonb', value: (r) => json(r.params) },
  { name: 'request_id', type: 'text', value: (r) => r.requestId },
  { name: 'created_at', type: 'timestamptz', value: (r) => time(r.createdAt) },
  { name: 'started_at', type: 'timestamptz', value: (r) => time(r.startedAt) },
  { name: 'ended_at', type: 'timestamptz', value: (r) => time(r.endedAt) },
  { name: 'timeout_at', type: 'timestamptz', value: (r) => time(r.timeoutAt) },
  { name: 'failure_reason', type: 'text', value: (r) => r.failureReason },
  { name: 'failure_step_id', type: 'text', value: (r) => r.failureStepId },
  { name: 'failure_message', type: 'text', value: (r) => r.failureMessage },
  { name: 'run_attempt', type: 'integer', value: (r) => r.runAttempt },
  { name: 'parent_run_id', type: 'text', value: (r) => r.parentRunId },
  { name: 'parent_step_id', type: 'text', value: (r) => r.parentStepId },
  { name: 'parent_attempt', type: 'integer', value: (r) => r.parentAttempt },
  { name: 'parent_index', type: 'integer', value: (r) => r.parentIndex },
  { name: 'depth', type: 'integer', value: (r) => r.depth },
  { name: 'breakpoints', type: 'jsonb', value: (r) => json(r.breakpoints) },
  { name: 'stop_reason', type: 'text', value: (r) => r.stopReason },
  { name: 'terminal_pending', type: 'jsonb', value: (r) => json(r.terminalPending) },
  { name: 'last_seq', type: 'bigint', value: (r) => r.lastSeq },
  { name: 'updated_at', type: 'timestamptz', value: (r) => time(r.updatedAt) },
];

const PROGRESS_COUNTERS = ['total', 'started', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** `loop_total` ... `loop_cancelled`: all null when the step has no child runs. */
function progressColumns(): Column<StepRow>[] {
  return PROGRESS_COUNTERS.map((counter) => ({
    name: `loop_${counter}`,
    type: 'integer',
    value: (r: StepRow) => r.progress?.[counter] ?? null,
  }));
}

const STEP_COLUMNS: readonly Column<StepRow>[] = [
  { name: 'run_id', type: 'text', value: (r) => r.runId },
  { name: 'step_id', type: 'text', value: (r) => r.stepId },
  { name: 'status', type: 'text', value: (r) => r.status },
  { name: 'attempt', type: 'integer', value: (r) => r.attempt },
  { name: 'params', type: 'jsonb', value: (r) => json(r.params) },
  { name: 'outputs', type: 'jsonb', value: (r) => json(r.outputs) },
  { name: 'ready_at', type: 'timestamptz', value: (r) => time(r.readyAt) },
  { name: 'started_at', type: 'timestamptz', value: (r) => time(r.startedAt) },
  { name: 'ended_at', type: 'timestamptz', value: (r) => time(r.endedAt) },
  { name: 'error_kind', type: 'text', value: (r) => r.errorKind },
  { name: 'error_message', type: 'text', value: (r) => r.errorMessage },
  { name: 'skip_reason', type: 'text', value: (r) => r.skipReason },
  { name: 'skip_message', type: 'text', value: (r) => r.skipMessage },
  { name: 'wait_signal', type: 'text', value: (r) => r.waitSignal },
  ...progressColumns(),
  { name: 'updated_at', type: 'timestamptz', value: (r) => time(r.updatedAt) },
];

const ATTEMPT_COLUMNS: readonly Column<AttemptRow>[] = [
  { name: 'run_id', type: 'text', value: (r) => r.runId },
  { name: 'step_id', type: 'text', value: (r) => r.stepId },
  { name: 'attempt', type: 'integer', value: (r) => r.attempt },
  { name: 'run_attempt', type: 'integer', value: (r) => r.runAttempt },
  { name: 'status', type: 'text', value: (r) => r.status },
  { name: 'executor_id', type: 'text', value: (r) => r.executorId },
  { name: 'ready_at', type: 'timestamptz', value: (r) => time(r.readyAt) },
  { name: 'started_at', type: 'timestamptz', value: (r) => time(r.startedAt) },
  { name: 'ended_at', type: 'timestamptz', value: (r) => time(r.endedAt) },
  { name: 'lease_expires_at', type: 'timestamptz', value: (r) => time(r.leaseExpiresAt) },
  { name: 'error_kind', type: 'text', value: (r) => r.errorKind },
  { name: 'message', type: 'text', value: (r) => r.message },
  { name: 'updated_at', type: 'timestamptz', value: (r) => time(r.updatedAt) },
];

const STEP_LOG_COLUMNS: readonly Column<StepLogRow>[] = [
  { name: 'run_id', type: 'text', value: (r) => r.runId },
  { name: 'step_id', type: 'text', value: (r) => r.stepId },
  { name: 'attempt', type: 'integer', value: (r) => r.attempt },
  { name: 'stdout_tail', type: 'text', value: (r) => r.stdoutTail },
  { name: 'stderr_tail', type: 'text', value: (r) => r.stderrTail },
  { name: 'truncated', type: 'boolean', value: (r) => r.truncated },
  { name: 'updated_at', type: 'timestamptz', value: (r) => time(r.updatedAt) },
];

const RUN_EVENT_COLUMNS: readonly Column<PublishedEvent>[] = [
  { name: 'run_id', type: 'text', value: (e) => e.event.runId },
  { name: 'seq', type: 'bigint', value: (e) => e.event.seq },
  { name: 'type', type: 'text', value: (e) => e.event.type },
  { name: 'schema_version', type: 'integer', value: (e) => e.event.schemaVersion },
  { name: 'at', type: 'timestamptz', value: (e) => time(e.event.at) },
  { name: 'payload', type: 'jsonb', value: (e) => jsonbText(e.json) },
];

const columnList = <R>(columns: readonly Column<R>[]) => columns.map((c) => c.name).join(', ');

// The loads below take their keys as arrays (`= ANY`, `unnest`), whose length
// the planner sees, so it probes the primary key. Keys as a `jsonb` set were
// guessed at 100 rows: from a few thousand runs on, every batch hashed a full
// scan of the table (2.9 ms instead of 0.6 ms per lock at 10,000 runs).

/**
 * Locks the existing rows of these runs (`FOR UPDATE`, in run id order so two
 * writers can never deadlock) and returns them: their `last_seq` is the
 * idempotency guard for the rest of the transaction.
 */
export async function lockRuns(tx: SqlClient, runIds: readonly string[]): Promise<Map<string, RunRow>> {
  if (runIds.length === 0) return new Map();
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT ${columnList(RUN_COLUMNS)} FROM runs
      WHERE run_id = ANY($1::text[])
      ORDER BY run_id
      FOR UPDATE`,
    [runIds],
  );
  return new Map(rows.map((row) => [row.run_id as string, toRunRow(row)]));
}

export async function loadSteps(tx: SqlClient, keys: readonly StepKey[]): Promise<StepRow[]> {
  if (keys.length === 0) return [];
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT ${STEP_COLUMNS.map((c) => `s.${c.name}`).join(', ')}
       FROM steps s
       JOIN unnest($1::text[], $2::text[]) AS k(run_id, step_id)
         ON s.run_id = k.run_id AND s.step_id = k.step_id`,
    [keys.map((k) => k.runId), keys.map((k) => k.stepId)],
  );
  return rows.map(toStepRow);
}

export async function loadAttempts(tx: SqlClient, keys: readonly AttemptKey[]): Promise<AttemptRow[]> {
  if (keys.length === 0) return [];
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT ${ATTEMPT_COLUMNS.map((c) => `a.${c.name}`).join(', ')}
       FROM step_attempts a
       JOIN unnest($1::text[], $2::text[], $3::integer[]) AS k(run_id, step_id, attempt)
         ON a.run_id = k.run_id AND a.step_id = k.step_id AND a.attempt = k.attempt`,
    [keys.map((k) => k.runId), keys.map((k) => k.stepId), keys.map((k) => k.attempt)],
  );
  return rows.map(toAttemptRow);
}

/** Every event, applied or not, as published; a seq already stored is left alone. */
export function insertRunEvents(tx: SqlClient, events: readonly PublishedEvent[]): Promise<void> {
  return insertMany(tx, 'run_events', RUN_EVENT_COLUMNS, events, 'ON CONFLICT (run_id, seq) DO NOTHING');
}

/**
 * New runs are plain inserts guarded by `last_seq` on conflict: the row lock
 * taken by `lockRuns` serialises writers of existing runs, and a concurrent
 * writer of a new run can only move it forward.
 */
export function upsertRuns(tx: SqlClient, rows: readonly RunRow[]): Promise<void> {
  return insertMany(
    tx,
    'runs',
    RUN_COLUMNS,
    rows,
    `ON CONFLICT (run_id) DO UPDATE SET ${assignments(RUN_COLUMNS, ['run_id'])}
     WHERE runs.last_seq < EXCLUDED.last_seq`,
  );
}

export function upsertSteps(tx: SqlClient, rows: readonly StepRow[]): Promise<void> {
  return insertMany(
    tx,
    'steps',
    STEP_COLUMNS,
    rows,
    `ON CONFLICT (run_id, step_id) DO UPDATE SET ${assignments(STEP_COLUMNS, ['run_id', 'step_id'])}`,
  );
}

export function upsertAttempts(tx: SqlClient, rows: readonly AttemptRow[]): Promise<void> {
  return insertMany(
    tx,
    'step_attempts',
    ATTEMPT_COLUMNS,
    rows,
    `ON CONFLICT (run_id, step_id, attempt) DO UPDATE SET ${assignments(ATTEMPT_COLUMNS, ['run_id', 'step_id', 'attempt'])}`,
  );
}

/** Log tails never go back in time: a re-delivered older record loses to the newer one. */
export function upsertStepLogs(tx: SqlClient, rows: readonly StepLogRow[]): Promise<void> {
  return insertMany(
    tx,
    'step_logs',
    STEP_LOG_COLUMNS,
    rows,
    `ON CONFLICT (run_id, step_id, attempt) DO UPDATE SET ${assignments(STEP_LOG_COLUMNS, ['run_id', 'step_id', 'attempt'])}
     WHERE step_logs.updated_at <= EXCLUDED.updated_at`,
  );
}

function assignments<R>(columns: readonly Column<R>[], keys: readonly string[]): string {
  return columns
    .filter((c) => !keys.includes(c.name))
    .map((c) => `${c.name} = EXCLUDED.${c.name}`)
    .join(', ');
}

/**
 * One `INSERT ... SELECT FROM unnest(...)` for all the rows: each column goes
 * as one typed array parameter, so the SQL text is the same whatever the row
 * count and the adapter's prepared statement for it is reused (a `VALUES`
 * list made one new statement text, parsed and planned, per batch size).
 * Rows must have distinct keys.
 */
async function insertMany<R>(
  tx: SqlClient,
  table: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  onConflict: string,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    insertText(table, columns, onConflict),
    columns.map((column) => rows.map(column.value)),
  );
}

const insertTexts = new Map<string, string>();

/** The statement of `insertMany`, built once per table and conflict clause. */
function insertText<R>(table: string, columns: readonly Column<R>[], onConflict: string): string {
  const key = `${table}\u0000${onConflict}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const arrays = columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
    text = `INSERT INTO ${table} (${columnList(columns)})
      SELECT * FROM unnest(${arrays}) ${onConflict}`;
    insertTexts.set(key, text);
  }
  return text;
}

function ms(value: unknown): number | null {
  return value === null || value === undefined ? null : (value as Date).getTime();
}

function toRunRow(row: Record<string, unknown>): RunRow {
  return {
    runId: row.run_id as string,
    workflowId: row.workflow_id as string,
    workflowVersion: row.workflow_version as number,
    status: row.status as string,
    params: row.params as JsonObject,
    requestId: row.request_id as string,
    createdAt: ms(row.created_at)!,
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    timeoutAt: ms(row.timeout_at),
    failureReason: row.failure_reason as string | null,
    failureStepId: row.failure_step_id as string | null,
    failureMessage: row.failure_message as string | null,
    runAttempt: row.run_attempt as number,
    parentRunId: row.parent_run_id as string | null,
    parentStepId: row.parent_step_id as string | null,
    parentAttempt: row.parent_attempt as number | null,
    parentIndex: row.parent_index as number | null,
    depth: row.depth as number,
    breakpoints: row.breakpoints as string[],
    stopReason: row.stop_reason as string | null,
    terminalPending: (row.terminal_pending ?? null) as TerminalFields | null,
    lastSeq: Number(row.last_seq),
    updatedAt: ms(row.updated_at)!,
  };
}

function toStepRow(row: Record<string, unknown>): StepRow {
  return {
    runId: row.run_id as string,
    stepId: row.step_id as string,
    status: row.status as string,
    attempt: row.attempt as number,
    params: row.params as JsonObject | null,
    outputs: row.outputs as JsonObject | null,
    readyAt: ms(row.ready_at),
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    errorKind: row.error_kind as string | null,
    errorMessage: row.error_message as string | null,
    skipReason: row.skip_reason as string | null,
    skipMessage: row.skip_message as string | null,
    waitSignal: row.wait_signal as string | null,
    // loop_started is set whenever the step has child runs (0 before the first starts).
    progress:
      row.loop_started === null
        ? null
        : {
            total: row.loop_total as number | null,
            started: row.loop_started as number,
            running: row.loop_running as number,
            succeeded: row.loop_succeeded as number,
            failed: row.loop_failed as number,
            cancelled: row.loop_cancelled as number,
          },
    updatedAt: ms(row.updated_at)!,
  };
}

function toAttemptRow(row: Record<string, unknown>): AttemptRow {
  return {
    runId: row.run_id as string,
    stepId: row.step_id as string,
    attempt: row.attempt as number,
    runAttempt: row.run_attempt as number | null,
    status: row.status as string,
    executorId: row.executor_id as string | null,
    readyAt: ms(row.ready_at),
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    leaseExpiresAt: ms(row.lease_expires_at),
    errorKind: row.error_kind as string | null,
    message: row.message as string | null,
    updatedAt: ms(row.updated_at)!,
  };
}
