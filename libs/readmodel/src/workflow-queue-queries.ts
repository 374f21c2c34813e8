import type { RunDropReason } from '@baton/domain/workflow-queue';
import type { RunStrategy } from '@baton/domain/workflow/workflow-definition';
import type { SqlClient } from '@baton/sql';

/** A run waiting in a workflow's queue. Times are epoch milliseconds. */
export interface QueuedRunView {
  /** The queue's order: lower starts first (the seq of its `RunQueued` event). */
  readonly position: number;
  readonly runId: string;
  readonly requestId: string;
  readonly version: number;
  readonly queuedAt: number;
}

/**
 * The reasons a dropped request is recorded for: a `duplicate` is a repeated
 * delivery of a run already decided, not a drop of that run (migration 0005).
 */
export type RecordedDropReason = Exclude<RunDropReason, 'duplicate'>;

/** A request the workflow's run strategy dropped: the API gave it a run id, and that run never starts. */
export interface DroppedRequestView {
  /** The seq of its `RunRequestDropped` event: the order of the workflow's drops. */
  readonly seq: number;
  readonly runId: string;
  readonly requestId: string;
  readonly reason: RecordedDropReason;
  /** Epoch milliseconds. */
  readonly droppedAt: number;
}

/** A workflow's queue as last projected. A workflow the queue has no events for shows as idle. */
export interface WorkflowQueueView {
  readonly workflowId: string;
  /** The strategy of the latest request's version; null before the first request. */
  readonly runStrategy: RunStrategy | null;
  readonly paused: boolean;
  /** strict_sequential: the failed run that blocks new starts, or null. */
  readonly blockedBy: string | null;
  /** Runs the queue started that have not ended, oldest first. */
  readonly running: readonly string[];
  readonly runningCount: number;
  readonly breakpoints: readonly string[];
  /** Waiting runs in start order, from `afterPosition`, at most `limit`. */
  readonly queued: readonly QueuedRunView[];
  /** All waiting runs, whatever the page. */
  readonly queuedCount: number;
  /** Pass as `afterPosition` for the next page; null on the last. */
  readonly nextAfterPosition: number | null;
  /** The latest `RECENT_DROPS_SHOWN` dropped requests, newest first. */
  readonly recentlyDropped: readonly DroppedRequestView[];
  /** The last workflow event seq reflected here (0: none yet). */
  readonly lastSeq: number;
  readonly updatedAt: number | null;
}

export interface QueueQuery {
  /** 1..MAX_QUEUE_PAGE. */
  readonly limit: number;
  readonly afterPosition?: number;
}

export const MAX_QUEUE_PAGE = 500;

/** How many dropped requests the queue view lists: enough to explain what just happened, never a history. */
export const RECENT_DROPS_SHOWN = 20;

/**
 * Reads of the workflow queue tables the queue projector fills (see
 * `migrations/0003-workflow-queue.ts` and `0005-workflow-queue-drops.ts`).
 *
 * @example
 *   const queue = await new WorkflowQueueQueries(sql).getQueue('nightly', { limit: 100 });
 *   queue.queued.map((run) => run.runId); // in the order they will start
 */
export class WorkflowQueueQueries {
  constructor(private readonly sql: SqlClient) {}

  async getQueue(workflowId: string, query: QueueQuery): Promise<WorkflowQueueView> {
    const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_QUEUE_PAGE);
    const afterPosition = query.afterPosition ?? 0;
    const [status] = await this.sql.query<StatusRow>(
      `SELECT run_strategy, paused, blocked_by, running_run_ids, running_count, breakpoints, last_seq, updated_at
         FROM workflow_queue_status WHERE workflow_id = $1`,
      [workflowId],
    );
    const [{ count }] = await this.sql.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM workflow_queue_runs WHERE workflow_id = $1',
      [workflowId],
    );
    // One more than asked tells whether a next page exists.
    const rows = await this.sql.query<QueuedRow>(
      `SELECT position, run_id, request_id, version, queued_at FROM workflow_queue_runs
        WHERE workflow_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
      [workflowId, afterPosition, limit + 1],
    );
    const queued = rows.slice(0, limit).map(toQueuedRun);
    const dropped = await this.sql.query<DroppedRow>(
      `SELECT ${DROPPED_COLUMNS} FROM workflow_queue_drops
        WHERE workflow_id = $1 ORDER BY seq DESC LIMIT $2`,
      [workflowId, RECENT_DROPS_SHOWN],
    );
    return {
      workflowId,
      runStrategy: status?.run_strategy ?? null,
      paused: status?.paused ?? false,
      blockedBy: status?.blocked_by ?? null,
      running: status?.running_run_ids ?? [],
      runningCount: status?.running_count ?? 0,
      breakpoints: status?.breakpoints ?? [],
      queued,
      queuedCount: count,
      nextAfterPosition: rows.length > limit ? queued[queued.length - 1].position : null,
      recentlyDropped: dropped.map(toDroppedRequest),
      lastSeq: status?.last_seq ?? 0,
      updatedAt: status ? status.updated_at.getTime() : null,
    };
  }
}

interface StatusRow {
  run_strategy: RunStrategy | null;
  paused: boolean;
  blocked_by: string | null;
  running_run_ids: string[];
  running_count: number;
  breakpoints: string[];
  last_seq: number;
  updated_at: Date;
}

interface QueuedRow {
  position: number;
  run_id: string;
  request_id: string;
  version: number;
  queued_at: Date;
}

function toQueuedRun(row: QueuedRow): QueuedRunView {
  return {
    position: row.position,
    runId: row.run_id,
    requestId: row.request_id,
    version: row.version,
    queuedAt: row.queued_at.getTime(),
  };
}

/** The columns `toDroppedRequest` reads, for every query of `workflow_queue_drops`. */
export const DROPPED_COLUMNS = 'workflow_id, seq, run_id, request_id, reason, dropped_at';

export interface DroppedRow {
  workflow_id: string;
  seq: number;
  run_id: string;
  request_id: string;
  reason: RecordedDropReason;
  dropped_at: Date;
}

export function toDroppedRequest(row: DroppedRow): DroppedRequestView {
  return {
    seq: row.seq,
    runId: row.run_id,
    requestId: row.request_id,
    reason: row.reason,
    droppedAt: row.dropped_at.getTime(),
  };
}
