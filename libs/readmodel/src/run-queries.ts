import type { JsonObject } from '@baton/domain/shared/json';
import type { SqlClient } from './sql-client';

/** Times are epoch milliseconds, like the events'. */
export interface RunSummary {
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  readonly status: string;
  readonly requestId: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly timeoutAt: number | null;
  readonly failure: {
    readonly reason: string;
    readonly stepId: string | null;
    readonly message: string;
  } | null;
  /** The last event seq reflected here: `GET /runs/{id}/events?afterSeq=` continues from it. */
  readonly lastSeq: number;
  readonly updatedAt: number;
}

export interface StepAttemptView {
  readonly attempt: number;
  readonly status: string;
  readonly executorId: string | null;
  readonly readyAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly leaseExpiresAt: number | null;
  readonly errorKind: string | null;
  readonly message: string | null;
}

export interface StepView {
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
  /** Oldest first. */
  readonly attempts: readonly StepAttemptView[];
}

export interface RunDetail extends RunSummary {
  readonly params: JsonObject;
  /** In the order they became ready; steps never ready (skipped) last, by id. */
  readonly steps: readonly StepView[];
}

export interface RunEventRecord {
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  /** The event as published, envelope included. */
  readonly payload: JsonObject;
}

export interface StepLogs {
  readonly attempt: number;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  readonly truncated: boolean;
  readonly updatedAt: number;
}

export interface ListRunsQuery {
  readonly workflowId?: string;
  readonly status?: string;
  /** 1..MAX_PAGE_SIZE. */
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

/** A cursor that was not made by `listRuns` (or was altered): the API answers 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor: pass back the nextCursor of the previous page unchanged');
    this.name = 'InvalidCursorError';
  }
}

/**
 * The read-model API's queries: plain SQL over the tables the projector
 * fills (see `migrations/0001-initial.ts`).
 *
 * Run lists use keyset pagination on (created_at, run_id) newest first: a
 * page starts strictly after the previous page's last row, so runs projected
 * meanwhile never shift a page (no duplicates, no gaps among the runs that
 * existed at the first page). A run projected later with an older
 * created_at than the cursor appears only in a fresh listing.
 *
 * @example
 *   const queries = new RunQueries(sql);
 *   let page = await queries.listRuns({ workflowId: 'etl', limit: 50 });
 *   while (page.nextCursor) page = await queries.listRuns({ workflowId: 'etl', limit: 50, cursor: page.nextCursor });
 */
export class RunQueries {
  constructor(private readonly sql: SqlClient) {}

  async listRuns(query: ListRunsQuery): Promise<Page<RunSummary>> {
    const limit = clampLimit(query.limit);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.workflowId !== undefined) where.push(`workflow_id = ${param(query.workflowId)}`);
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      where.push(
        `(created_at, run_id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.runId)}::text)`,
      );
    }
    const rows = await this.sql.query<RunRow & { cursor_key: string }>(
      `SELECT ${RUN_COLUMNS}, ${CURSOR_KEY} AS cursor_key
         FROM runs
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, run_id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunSummary),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAt: last.cursor_key, runId: last.run_id }) : null,
    };
  }

  /** The run with all its steps and attempts, from one snapshot; null when unknown. */
  async getRun(runId: string): Promise<RunDetail | null> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [run] = await tx.query<RunRow & { params: JsonObject }>(
        `SELECT ${RUN_COLUMNS}, params FROM runs WHERE run_id = $1`,
        [runId],
      );
      if (!run) return null;
      const steps = await tx.query<StepRow>(
        `SELECT step_id, status, attempt, params, outputs, ready_at, started_at, ended_at,
                error_kind, error_message, skip_reason
           FROM steps WHERE run_id = $1
          ORDER BY ready_at ASC NULLS LAST, step_id`,
        [runId],
      );
      const attempts = await tx.query<AttemptRow>(
        `SELECT step_id, attempt, status, executor_id, ready_at, started_at, ended_at, lease_expires_at,
                error_kind, message
           FROM step_attempts WHERE run_id = $1
          ORDER BY step_id, attempt`,
        [runId],
      );
      const byStep = new Map<string, StepAttemptView[]>();
      for (const row of attempts) {
        const list = byStep.get(row.step_id) ?? [];
        list.push(toAttempt(row));
        byStep.set(row.step_id, list);
      }
      return {
        ...toRunSummary(run),
        params: run.params,
        steps: steps.map((row) => toStep(row, byStep.get(row.step_id) ?? [])),
      };
    });
  }

  /**
   * Events of a run by seq, from `afterSeq` (exclusive; 0 = from the start).
   * `nextAfterSeq` is null when nothing more is stored yet.
   */
  async getRunEvents(
    runId: string,
    options: { readonly afterSeq?: number; readonly limit: number },
  ): Promise<{ items: RunEventRecord[]; nextAfterSeq: number | null }> {
    const limit = clampLimit(options.limit);
    const rows = await this.sql.query<{ seq: number; type: string; at: Date; payload: JsonObject }>(
      `SELECT seq, type, at, payload FROM run_events
        WHERE run_id = $1 AND seq > $2
        ORDER BY seq
        LIMIT $3`,
      [runId, options.afterSeq ?? 0, limit + 1],
    );
    const items = rows.slice(0, limit).map((row) => ({
      seq: row.seq,
      type: row.type,
      at: row.at.getTime(),
      payload: row.payload,
    }));
    return { items, nextAfterSeq: rows.length > limit ? items[items.length - 1]!.seq : null };
  }

  /** Log tails of one attempt, or of the latest attempt when `attempt` is omitted. */
  async getStepLogs(runId: string, stepId: string, attempt?: number): Promise<StepLogs | null> {
    const rows = await this.sql.query<{
      attempt: number;
      stdout_tail: string;
      stderr_tail: string;
      truncated: boolean;
      updated_at: Date;
    }>(
      `SELECT attempt, stdout_tail, stderr_tail, truncated, updated_at FROM step_logs
        WHERE run_id = $1 AND step_id = $2 ${attempt === undefined ? '' : 'AND attempt = $3'}
        ORDER BY attempt DESC
        LIMIT 1`,
      attempt === undefined ? [runId, stepId] : [runId, stepId, attempt],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      attempt: row.attempt,
      stdoutTail: row.stdout_tail,
      stderrTail: row.stderr_tail,
      truncated: row.truncated,
      updatedAt: row.updated_at.getTime(),
    };
  }
}

const RUN_COLUMNS = `run_id, workflow_id, workflow_version, status, request_id, created_at, started_at, ended_at,
  timeout_at, failure_reason, failure_step_id, failure_message, last_seq, updated_at`;

// Exact to the microsecond and independent of the session's DateStyle/TimeZone,
// so the cursor compares equal to the stored value whatever wrote it.
const CURSOR_KEY = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface RunRow {
  run_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  request_id: string;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  timeout_at: Date | null;
  failure_reason: string | null;
  failure_step_id: string | null;
  failure_message: string | null;
  last_seq: number;
  updated_at: Date;
}

interface StepRow {
  step_id: string;
  status: string;
  attempt: number;
  params: JsonObject | null;
  outputs: JsonObject | null;
  ready_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  error_kind: string | null;
  error_message: string | null;
  skip_reason: string | null;
}

interface AttemptRow {
  step_id: string;
  attempt: number;
  status: string;
  executor_id: string | null;
  ready_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  lease_expires_at: Date | null;
  error_kind: string | null;
  message: string | null;
}

function toRunSummary(row: RunRow): RunSummary {
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    requestId: row.request_id,
    createdAt: row.created_at.getTime(),
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    timeoutAt: ms(row.timeout_at),
    failure:
      row.failure_reason === null
        ? null
        : { reason: row.failure_reason, stepId: row.failure_step_id, message: row.failure_message ?? '' },
    lastSeq: row.last_seq,
    updatedAt: row.updated_at.getTime(),
  };
}

function toStep(row: StepRow, attempts: StepAttemptView[]): StepView {
  return {
    stepId: row.step_id,
    status: row.status,
    attempt: row.attempt,
    params: row.params,
    outputs: row.outputs,
    readyAt: ms(row.ready_at),
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    skipReason: row.skip_reason,
    attempts,
  };
}

function toAttempt(row: AttemptRow): StepAttemptView {
  return {
    attempt: row.attempt,
    status: row.status,
    executorId: row.executor_id,
    readyAt: ms(row.ready_at),
    startedAt: ms(row.started_at),
    endedAt: ms(row.ended_at),
    leaseExpiresAt: ms(row.lease_expires_at),
    errorKind: row.error_kind,
    message: row.message,
  };
}

function ms(value: Date | null): number | null {
  return value === null ? null : value.getTime();
}

function clampLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) return 1;
  return Math.min(limit, MAX_PAGE_SIZE);
}

interface RunCursor {
  /** UTC timestamp text with microseconds, see CURSOR_KEY. */
  readonly createdAt: string;
  readonly runId: string;
}

function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.runId]), 'utf8').toString('base64url');
}

function decodeCursor(text: string): RunCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return { createdAt: value[0], runId: value[1] };
    }
  } catch {
    // fall through: not base64 JSON
  }
  throw new InvalidCursorError();
}
