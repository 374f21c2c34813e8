import type { JsonObject } from '@baton/domain/shared/json';
import {
  decodeChildRunCursor,
  decodeRunCursor,
  encodeChildRunCursor,
  encodeRunCursor,
  InvalidCursorError,
} from './run-cursors';
import {
  ATTEMPT_COLUMNS,
  RUN_SUMMARY_COLUMNS,
  STEP_COLUMNS,
  toAttempt,
  toQueuedRunDetail,
  toRunSummary,
  toStep,
  type AttemptRow,
  type QueuedRunRow,
  type RunDetail,
  type RunSummary,
  type RunSummaryRow,
  type StepAttemptView,
  type StepRow,
} from './run-views';
import type { SqlClient } from '@baton/sql';
import {
  DROPPED_COLUMNS,
  toDroppedRequest,
  type DroppedRequestView,
  type DroppedRow,
} from './workflow-queue-queries';

export { InvalidCursorError };
export type { RunDetail, RunParent, RunSummary, StepAttemptView, StepView } from './run-views';

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
  /** Only runs of workflows whose id starts with one of these. */
  readonly workflowPrefixes?: readonly string[];
  readonly status?: string;
  /** Child runs (foreach and while iterations, subworkflows) too; top-level runs only by default. */
  readonly includeChildren?: boolean;
  /** 1..MAX_PAGE_SIZE. */
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** Run ids starting with this text (the web UI's search box). */
  readonly runIdPrefix?: string;
  /** Created at or after / before this epoch ms. */
  readonly createdAfter?: number;
  readonly createdBefore?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

/** A run that never started: its request was dropped by its workflow's run strategy. */
export interface DroppedRunRequest extends DroppedRequestView {
  readonly workflowId: string;
}

/** The children of one run, optionally of one of its steps (and attempt), by iteration index. */
export interface ListChildRunsQuery {
  readonly stepId?: string;
  readonly attempt?: number;
  readonly status?: string;
  /** 1..MAX_PAGE_SIZE. */
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/**
 * The read-model API's queries: plain SQL over the tables the projector
 * fills (see `migrations/0001-initial.ts`).
 *
 * Run lists use keyset pagination on (created_at, run_id) newest first: a
 * page starts strictly after the previous page's last row, so runs projected
 * meanwhile never shift a page (no duplicates, no gaps among the runs that
 * existed at the first page). A run projected later with an older
 * created_at than the cursor appears only in a fresh listing. Child runs
 * are listed apart (`listChildRuns`), in iteration order, keyset-paged too:
 * a foreach of 100,000 iterations is read a page at a time.
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
    if (query.workflowPrefixes !== undefined) {
      // A caller scoped to some workflows (an API token's scopes): `[]` matches nothing.
      const any = query.workflowPrefixes.map((prefix) => `starts_with(workflow_id, ${param(prefix)})`);
      where.push(any.length > 0 ? `(${any.join(' OR ')})` : 'false');
    }
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    if (query.runIdPrefix !== undefined) where.push(`run_id LIKE ${param(likePrefix(query.runIdPrefix))}`);
    if (query.createdAfter !== undefined)
      where.push(`created_at >= ${param(new Date(query.createdAfter).toISOString())}::timestamptz`);
    if (query.createdBefore !== undefined)
      where.push(`created_at < ${param(new Date(query.createdBefore).toISOString())}::timestamptz`);
    // Literally the partial indexes' predicate (migration 0004), so they serve the default listing.
    if (query.includeChildren !== true) where.push('parent_run_id IS NULL');
    if (query.cursor !== undefined) {
      const cursor = decodeRunCursor(query.cursor);
      where.push(
        `(created_at, run_id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.runId)}::text)`,
      );
    }
    const rows = await this.sql.query<RunSummaryRow & { cursor_key: string }>(
      `SELECT ${RUN_SUMMARY_COLUMNS}, ${CURSOR_KEY} AS cursor_key
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
        rows.length > limit && last
          ? encodeRunCursor({ createdAt: last.cursor_key, runId: last.run_id })
          : null,
    };
  }

  /**
   * The child runs of `parentRunId` (every step's, or one step's, of every
   * attempt or one), ordered by step, attempt and iteration index. Served by
   * `runs_children_idx`; an unknown run simply has no children.
   */
  async listChildRuns(parentRunId: string, query: ListChildRunsQuery): Promise<Page<RunSummary>> {
    const limit = clampLimit(query.limit);
    const params: unknown[] = [parentRunId];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['parent_run_id = $1'];
    const after = query.cursor === undefined ? undefined : decodeChildRunCursor(query.cursor);
    if (query.stepId !== undefined) {
      const stepId = param(query.stepId);
      // After a cursor, the step is a range, not an equality: PostgreSQL (15) starts the index
      // scan at an equality on the row comparison's leading column and would scan from the
      // step's first child instead of from the cursor.
      where.push(
        after === undefined
          ? `parent_step_id = ${stepId}`
          : `parent_step_id >= ${stepId} AND parent_step_id <= ${stepId}`,
      );
    }
    if (query.attempt !== undefined) where.push(`parent_attempt = ${param(query.attempt)}`);
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    if (after !== undefined) {
      where.push(
        `(parent_step_id, parent_attempt, parent_index, run_id) > ` +
          `(${param(after.stepId)}::text, ${param(after.attempt)}::integer, ${param(after.index)}::integer, ${param(after.runId)}::text)`,
      );
    }
    const rows = await this.sql.query<RunSummaryRow>(
      `SELECT ${RUN_SUMMARY_COLUMNS}
         FROM runs
        WHERE ${where.join(' AND ')}
        ORDER BY parent_step_id, parent_attempt, parent_index, run_id
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit).map(toRunSummary);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor:
        rows.length > limit && last?.parent
          ? encodeChildRunCursor({ ...last.parent, runId: last.runId })
          : null,
    };
  }

  /** The run with all its steps and attempts, from one snapshot; null when unknown. */
  async getRun(runId: string): Promise<RunDetail | null> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [run] = await tx.query<
        RunSummaryRow & { params: JsonObject; breakpoints: string[]; stop_reason: string | null }
      >(`SELECT ${RUN_SUMMARY_COLUMNS}, params, breakpoints, stop_reason FROM runs WHERE run_id = $1`, [
        runId,
      ]);
      if (!run) return null;
      const steps = await tx.query<StepRow>(
        `SELECT ${STEP_COLUMNS}
           FROM steps WHERE run_id = $1
          ORDER BY ready_at ASC NULLS LAST, step_id`,
        [runId],
      );
      const attempts = await tx.query<AttemptRow>(
        `SELECT ${ATTEMPT_COLUMNS}
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
        breakpoints: run.breakpoints,
        stopping: run.stop_reason === null ? null : { reason: run.stop_reason },
        steps: steps.map((row) => toStep(row, byStep.get(row.step_id) ?? [])),
      };
    });
  }

  /** A run waiting in its workflow's queue, as a run detail with status `queued`; null when it is not waiting. */
  /**
   * The workflow a run belongs to, wherever the read model knows it from (a
   * started run, one waiting in its workflow's queue, a dropped request);
   * null for a run it does not know. The API checks callers' scopes with it.
   */
  async workflowOfRun(runId: string): Promise<string | null> {
    const [row] = await this.sql.query<{ workflow_id: string }>(
      `SELECT workflow_id FROM runs WHERE run_id = $1
       UNION ALL SELECT workflow_id FROM workflow_queue_runs WHERE run_id = $1
       UNION ALL SELECT workflow_id FROM workflow_queue_drops WHERE run_id = $1
       LIMIT 1`,
      [runId],
    );
    return row?.workflow_id ?? null;
  }

  async getQueuedRun(runId: string): Promise<RunDetail | null> {
    const [row] = await this.sql.query<QueuedRunRow>(
      `SELECT workflow_id, run_id, request_id, version, queued_at, params FROM workflow_queue_runs q
        WHERE q.run_id = $1 AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = q.run_id)`,
      [runId],
    );
    return row ? toQueuedRunDetail(row) : null;
  }

  /**
   * Why run `runId` never started, when its request was dropped by its
   * workflow's run strategy (table `workflow_queue_drops`); null for a run the
   * read model has (a request re-delivered once the queue had forgotten the
   * drop may have started it after all) or knows nothing of. A run id is
   * one workflow's (derived from workflow and request id), so its drops, if
   * dropped more than once, are ordered by seq.
   */
  async getDroppedRequest(runId: string): Promise<DroppedRunRequest | null> {
    const [row] = await this.sql.query<DroppedRow>(
      `SELECT ${DROPPED_COLUMNS} FROM workflow_queue_drops d
        WHERE d.run_id = $1 AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = d.run_id)
        ORDER BY d.seq DESC
        LIMIT 1`,
      [runId],
    );
    return row ? { workflowId: row.workflow_id, ...toDroppedRequest(row) } : null;
  }

  /**
   * Events of a run by seq, from `afterSeq` (exclusive; 0 = from the start),
   * only those of `type` when given (`CommandRejected`: the refused commands).
   * `nextAfterSeq` is null when nothing more is stored yet.
   */
  async getRunEvents(
    runId: string,
    options: { readonly afterSeq?: number; readonly limit: number; readonly type?: string },
  ): Promise<{ items: RunEventRecord[]; nextAfterSeq: number | null }> {
    const limit = clampLimit(options.limit);
    const rows = await this.sql.query<{ seq: number; type: string; at: Date; payload: JsonObject }>(
      `SELECT seq, type, at, payload FROM run_events
        WHERE run_id = $1 AND seq > $2 AND ($4::text IS NULL OR type = $4)
        ORDER BY seq
        LIMIT $3`,
      [runId, options.afterSeq ?? 0, limit + 1, options.type ?? null],
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

// Exact to the microsecond and independent of the session's DateStyle/TimeZone,
// so the cursor compares equal to the stored value whatever wrote it.
const CURSOR_KEY = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function clampLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) return 1;
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** A LIKE pattern matching text that starts with `prefix` literally (% and _ escaped). */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
