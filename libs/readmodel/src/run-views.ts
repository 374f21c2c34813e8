import type { JsonObject } from '@baton/domain/shared/json';
import type { LoopProgress } from '@baton/domain/run/run.events';

/**
 * What the read-model API answers about runs, and how a row becomes it.
 * Times are epoch milliseconds, like the events'.
 */

/** Where a child run (foreach or while iteration, subworkflow) comes from. */
export interface RunParent {
  readonly runId: string;
  readonly stepId: string;
  /** The parent step's attempt that started the child. */
  readonly attempt: number;
  /** The iteration (foreach, while), 0 for a subworkflow. */
  readonly index: number;
  /** 1 for a child of a top-level run, 2 for a grandchild... */
  readonly depth: number;
}

export interface RunSummary {
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  readonly status: string;
  readonly requestId: string;
  /** 1, then +1 per restart. */
  readonly runAttempt: number;
  /** Null for a top-level run. */
  readonly parent: RunParent | null;
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
  /** The run attempt it belongs to (1, then +1 per restart); null when projected before this was recorded. */
  readonly runAttempt: number | null;
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
  /** Who or why, for a step skipped by a user. */
  readonly skipMessage: string | null;
  /** The signal a wait_for_signal step waits (or waited) for. */
  readonly signal: string | null;
  /**
   * A foreach, while or subworkflow step's child runs of its current (or
   * last) attempt: how many started, run, ended how; null for other steps.
   */
  readonly progress: LoopProgress | null;
  /** Oldest first. */
  readonly attempts: readonly StepAttemptView[];
}

export interface RunDetail extends RunSummary {
  readonly params: JsonObject;
  /** Steps the run pauses before (status `paused`, until resumed). */
  readonly breakpoints: readonly string[];
  /** Set once a stop was asked: nothing new starts, and the run ends cancelled when its active steps end. */
  readonly stopping: { readonly reason: string } | null;
  /** In the order they became ready; steps never ready (pending, skipped) last, by id. */
  readonly steps: readonly StepView[];
}

/** The `runs` columns a summary reads. */
export const RUN_SUMMARY_COLUMNS = `run_id, workflow_id, workflow_version, status, request_id, run_attempt,
  parent_run_id, parent_step_id, parent_attempt, parent_index, depth, created_at, started_at, ended_at,
  timeout_at, failure_reason, failure_step_id, failure_message, last_seq, updated_at`;

export const STEP_COLUMNS = `step_id, status, attempt, params, outputs, ready_at, started_at, ended_at,
  error_kind, error_message, skip_reason, skip_message, wait_signal, loop_total, loop_started, loop_running,
  loop_succeeded, loop_failed, loop_cancelled`;

export const ATTEMPT_COLUMNS = `step_id, attempt, run_attempt, status, executor_id, ready_at, started_at, ended_at,
  lease_expires_at, error_kind, message`;

export interface RunSummaryRow {
  run_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  request_id: string;
  run_attempt: number;
  parent_run_id: string | null;
  parent_step_id: string | null;
  parent_attempt: number | null;
  parent_index: number | null;
  depth: number;
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

export interface StepRow {
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
  skip_message: string | null;
  wait_signal: string | null;
  loop_total: number | null;
  loop_started: number | null;
  loop_running: number | null;
  loop_succeeded: number | null;
  loop_failed: number | null;
  loop_cancelled: number | null;
}

export interface AttemptRow {
  step_id: string;
  attempt: number;
  run_attempt: number | null;
  status: string;
  executor_id: string | null;
  ready_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  lease_expires_at: Date | null;
  error_kind: string | null;
  message: string | null;
}

/** A run waiting in its workflow's queue (`workflow_queue_runs`): not in `runs` until it starts. */
export interface QueuedRunRow {
  workflow_id: string;
  run_id: string;
  request_id: string;
  version: number;
  queued_at: Date;
  params: JsonObject | null;
}

/**
 * A queued run as the API shows a run: status `queued`, the params as
 * requested (the definition's defaults apply when it starts), no steps yet,
 * `lastSeq` 0 (it has no events). Its place in line is in the workflow's queue view.
 */
export function toQueuedRunDetail(row: QueuedRunRow): RunDetail {
  const queuedAt = row.queued_at.getTime();
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    workflowVersion: row.version,
    status: 'queued',
    requestId: row.request_id,
    runAttempt: 1,
    parent: null,
    createdAt: queuedAt,
    startedAt: null,
    endedAt: null,
    timeoutAt: null,
    failure: null,
    lastSeq: 0,
    updatedAt: queuedAt,
    params: row.params ?? {},
    breakpoints: [],
    stopping: null,
    steps: [],
  };
}

export function toRunSummary(row: RunSummaryRow): RunSummary {
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    requestId: row.request_id,
    runAttempt: row.run_attempt,
    parent:
      row.parent_run_id === null
        ? null
        : {
            runId: row.parent_run_id,
            // The projector writes the parent columns together, from one ParentLink.
            stepId: row.parent_step_id!,
            attempt: row.parent_attempt!,
            index: row.parent_index!,
            depth: row.depth,
          },
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

export function toStep(row: StepRow, attempts: StepAttemptView[]): StepView {
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
    skipMessage: row.skip_message,
    signal: row.wait_signal,
    // The projector sets every counter (0 before the first child) once a step has children.
    progress:
      row.loop_started === null
        ? null
        : {
            total: row.loop_total,
            started: row.loop_started,
            running: row.loop_running ?? 0,
            succeeded: row.loop_succeeded ?? 0,
            failed: row.loop_failed ?? 0,
            cancelled: row.loop_cancelled ?? 0,
          },
    attempts,
  };
}

export function toAttempt(row: AttemptRow): StepAttemptView {
  return {
    attempt: row.attempt,
    runAttempt: row.run_attempt,
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

export function ms(value: Date | null): number | null {
  return value === null ? null : value.getTime();
}
