import type { JsonObject } from '../shared/json';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import type { ParentLink, TimerKind } from './run.commands';
import type { LoopProgress } from './run.events';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * A step's lifecycle. `pending` waits for its incoming edges; `paused` waits
 * at a breakpoint; `ready` was sent to a pool; `running` holds an executor
 * lease; `sleeping` waits on an engine timer (sleep steps); `waiting` waits
 * for child runs or a signal; `retry_waiting` waits on a backoff timer. The
 * last four are terminal.
 */
export type StepStatus =
  | 'pending'
  | 'paused'
  | 'ready'
  | 'running'
  | 'sleeping'
  | 'waiting'
  | 'retry_waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

export const ACTIVE_STEP_STATUSES: readonly StepStatus[] = [
  'paused',
  'ready',
  'running',
  'sleeping',
  'waiting',
  'retry_waiting',
];
export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

/**
 * How an edge was resolved. `taken` lets its target run; the other resolved
 * values tell the target why not (and so the reason it is skipped with).
 */
export type EdgeStatus = 'pending' | 'taken' | 'condition_false' | 'source_skipped' | 'source_failed';

export type FailureKind = 'user' | 'platform' | 'timeout';

/**
 * One step's compact record. Its size does not depend on how long the run
 * lasts: counters, not lists of attempts (the attempt history is in the events).
 */
export interface StepState {
  readonly status: StepStatus;
  /** 0 until the step is first ready; then the attempt in flight (or the last one). */
  readonly attempt: number;
  readonly userErrors: number;
  readonly platformErrors: number;
  readonly timeouts: number;
  /** The lease holder while `running`; null otherwise. */
  readonly executorId: string | null;
  readonly leaseDurationMs: number | null;
  readonly leaseExpiresAt: number | null;
  /** Set once the step succeeded; `{}` otherwise (ignored failures included). */
  readonly outputs: JsonObject;
  /** Why the step finally failed; null unless `status === 'failed'`. */
  readonly failure: FailureKind | null;
  /** Child runs of the current attempt of a foreach, while or subworkflow step; null otherwise. */
  readonly loop: LoopState | null;
  /**
   * The params of the latest attempt, as its `StepReady` resolved them (other
   * steps read them as `steps.x.params`); absent before the step was first
   * ready, and in snapshots written before this field existed.
   */
  readonly params?: JsonObject;
  /** The current attempt's timeout when an expression gave it (`StepReady.settings.timeout_ms`). */
  readonly timeoutMs?: number;
  /** The current attempt's retry limits that expressions gave (`StepReady.settings.retry_limits`). */
  readonly retryLimits?: Readonly<Partial<Record<FailureKind, number>>>;
}

/**
 * A loop's memory, bounded by its concurrency: counters, the running
 * children, and what the next iteration needs. Never a list of iterations.
 */
export interface LoopState {
  readonly progress: LoopProgress;
  /** Running child run ids by iteration index. */
  readonly running: Readonly<Record<string, string>>;
  /** foreach: each loop param's evaluated values (an array or a range). */
  readonly values: JsonObject;
  /** while: the last iteration's outputs; subworkflow: the child's. */
  readonly previous: JsonObject;
  /** The first child failure's message, kept for the step's failure. */
  readonly firstFailure: string | null;
}

/**
 * A durable deadline. Invariant: a timer is in the index exactly while the
 * thing it guards is current (a lease timer while its attempt is running, a
 * retry timer while the step waits for that attempt, ...), so the engine can
 * schedule `FireTimer` from the index alone, and a fire that finds no timer is
 * stale.
 */
export interface RunTimer {
  readonly id: string;
  readonly kind: TimerKind;
  readonly fireAt: number;
  readonly stepId: string | null;
  readonly attempt: number | null;
}

/** Edge indices (into `definition.edges`) by step id; derived from the definition at start. */
export interface RunGraph {
  readonly incoming: Readonly<Record<string, readonly number[]>>;
  readonly outgoing: Readonly<Record<string, readonly number[]>>;
}

/** Before `RunStarted`: only the sequence advances (rejections of commands for a run that does not exist). */
export interface NoRun {
  readonly status: 'absent';
  readonly lastSeq: number;
}

export interface Run {
  readonly status: RunStatus;
  readonly lastSeq: number;
  readonly runId: string;
  readonly definition: WorkflowDefinition;
  readonly params: JsonObject;
  readonly requestId: string;
  readonly scheduledAt: number;
  readonly startedAt: number;
  /** 1, then +1 per `RunRestarted`; `run.attempt` in expressions. */
  readonly runAttempt: number;
  readonly parent: ParentLink | null;
  readonly breakpoints: readonly string[];
  /** Set by `RunStopping`: nothing new starts. */
  readonly stopping: boolean;
  readonly steps: Readonly<Record<string, StepState>>;
  /** Aligned with `definition.edges`. */
  readonly edges: readonly EdgeStatus[];
  readonly graph: RunGraph;
  readonly timers: Readonly<Record<string, RunTimer>>;
  /** Steps per status; lets the decider see "nothing left to do" without a scan. */
  readonly counts: Readonly<Record<StepStatus, number>>;
  /** The first step whose final failure will fail the run (finish_running), or null. */
  readonly failedStepId: string | null;
}

export type RunState = NoRun | Run;

export function initialState(): RunState {
  return { status: 'absent', lastSeq: 0 };
}

export function emptyCounts(): Record<StepStatus, number> {
  return {
    pending: 0,
    paused: 0,
    ready: 0,
    running: 0,
    sleeping: 0,
    waiting: 0,
    retry_waiting: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  };
}

export function isActive(status: StepStatus): boolean {
  return ACTIVE_STEP_STATUSES.includes(status);
}

/** Timer ids are derived, so the same history always yields the same ids. */
export function timerId(kind: TimerKind, stepId?: string, attempt?: number): string {
  return stepId === undefined ? kind : `${kind}/${stepId}/${attempt ?? 0}`;
}
