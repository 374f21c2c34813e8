import type { JsonObject } from '../shared/json';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import type { ChildRunOutcome, ParentLink, RestartMode, RunCommandType, StepErrorKind } from './run.commands';
import type { RejectionCode } from './run.errors';

/**
 * Every event of a run: the public contract and the only input of `evolve`.
 * Versioning: `schemaVersion` is per event type; a change to a payload's
 * meaning bumps it and `evolve` keeps handling every version ever written.
 */
export const RUN_EVENT_SCHEMA_VERSION = 1;

interface EventBase {
  readonly runId: string;
  /** 1, 2, 3... per run with no gaps, rejections included; projectors dedupe on it. */
  readonly seq: number;
  readonly schemaVersion: number;
  /** Epoch ms: the `at` of the command that caused the event. */
  readonly at: number;
  /**
   * Who caused the event: the `by` of its command's metadata (an operator's
   * principal), only written when the command had one. Optional, so events
   * written before it (schema version 1 all the same) replay unchanged.
   */
  readonly by?: string;
}

export interface RunStarted extends EventBase {
  readonly type: 'RunStarted';
  readonly definition: WorkflowDefinition;
  /** Fully resolved (given, expression, default); every required param present. */
  readonly params: JsonObject;
  readonly requestId: string;
  readonly scheduledAt: number;
  /** Absolute run deadline, or null when the workflow has no timeout. */
  readonly timeoutAt: number | null;
  /** The run that started this one; absent for a top-level run. */
  readonly parent?: ParentLink | null;
  /** Steps the run pauses before; absent means none. */
  readonly breakpoints?: readonly string[];
}

/**
 * Where a ready step goes: an executor pool's step-ready topic, or (sleep) an
 * engine timer that completes it at `wakeAt` without using an executor.
 */
export type StepDispatch =
  | { readonly kind: 'pool'; readonly pool: string }
  | { readonly kind: 'timer'; readonly wakeAt: number }
  /** foreach, while, subworkflow: the step waits for child runs (`ChildRunsStarted` follows). */
  | { readonly kind: 'children' }
  /** wait_for_signal: the engine registers the wait with the signal router. */
  | { readonly kind: 'signal'; readonly signal: string; readonly match: JsonObject };

export interface StepReady extends EventBase {
  readonly type: 'StepReady';
  readonly stepId: string;
  readonly attempt: number;
  /** `step.params` with expressions evaluated at this instant. */
  readonly params: JsonObject;
  /**
   * The step type's own value fields, resolved the same way: shell `env`;
   * http `url`, `headers`, `body`. Empty for other types.
   */
  readonly settings: JsonObject;
  readonly dispatch: StepDispatch;
}

/** A step reached a breakpoint: it waits for `ResumeStep` before it becomes ready. */
export interface StepPaused extends EventBase {
  readonly type: 'StepPaused';
  readonly stepId: string;
}

/**
 * Counters of a loop or subworkflow step's child runs, as of the event that
 * carries them; `total` is null for a while loop (unknown in advance).
 */
export interface LoopProgress {
  readonly total: number | null;
  readonly started: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
}

export interface ChildRunSpec {
  readonly index: number;
  readonly runId: string;
  /** The child's params (for a subworkflow: what the step passes; the child resolves the rest). */
  readonly params: JsonObject;
}

/** A foreach, while or subworkflow step started child runs; the engine writes their start. */
export interface ChildRunsStarted extends EventBase {
  readonly type: 'ChildRunsStarted';
  readonly stepId: string;
  readonly attempt: number;
  readonly children: readonly ChildRunSpec[];
  readonly progress: LoopProgress;
}

/** One child run of a waiting step ended (or could not start). */
export interface ChildRunEnded extends EventBase {
  readonly type: 'ChildRunEnded';
  readonly stepId: string;
  readonly attempt: number;
  readonly index: number;
  readonly childRunId: string;
  readonly outcome: ChildRunOutcome;
  readonly outputs: JsonObject;
  readonly message: string;
  readonly progress: LoopProgress;
  /** The child could not start (unknown workflow): the read model has no run of it to wait for. Only when true. */
  readonly neverStarted?: true;
}

export interface StepStarted extends EventBase {
  readonly type: 'StepStarted';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  readonly leaseDurationMs: number;
  readonly leaseExpiresAt: number;
  /** Per-attempt timeout deadline, counted from the start; null when none. */
  readonly timeoutAt: number | null;
}

/** Emitted only when a heartbeat finds less than half the lease left (see the heartbeat handler). */
export interface StepLeaseExtended extends EventBase {
  readonly type: 'StepLeaseExtended';
  readonly stepId: string;
  readonly attempt: number;
  readonly leaseExpiresAt: number;
}

/**
 * Condition results of the finished step's conditional outgoing edges, keyed
 * by target step id. Unconditional edges are taken without being listed.
 */
export type BranchResults = Readonly<Record<string, boolean>>;

export interface StepSucceeded extends EventBase {
  readonly type: 'StepSucceeded';
  readonly stepId: string;
  readonly attempt: number;
  readonly outputs: JsonObject;
  readonly branches: BranchResults;
  /**
   * Only when the executor's report said so: the attempt's log tail is on
   * `baton.step-logs` (written before the report), so the read model shows
   * the run ended only once that tail is stored. Absent: no tail is promised.
   */
  readonly logsWritten?: true;
}

export interface StepFailed extends EventBase {
  readonly type: 'StepFailed';
  readonly stepId: string;
  readonly attempt: number;
  readonly errorKind: StepErrorKind;
  readonly message: string;
  readonly willRetry: boolean;
  /** The exit code the executor reported, when it did (absent before it existed). */
  readonly exitCode?: number;
  /** Present and true when the failure was not retryable whatever the budget (e.g. a non-retryable exit code). */
  readonly nonRetryable?: boolean;
  /** Filled only for a final failure under `failureMode: 'ignore'` (successors run). */
  readonly branches: BranchResults;
  /** As `StepSucceeded.logsWritten`. */
  readonly logsWritten?: true;
}

export interface StepTimedOut extends EventBase {
  readonly type: 'StepTimedOut';
  readonly stepId: string;
  readonly attempt: number;
  readonly willRetry: boolean;
  readonly branches: BranchResults;
}

export interface StepRetryScheduled extends EventBase {
  readonly type: 'StepRetryScheduled';
  readonly stepId: string;
  /** The attempt that will run when the backoff timer fires. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly fireAt: number;
}

export type SkipReason = 'condition_false' | 'branch_not_taken' | 'upstream_failed' | 'skipped_by_user';

/**
 * A step will not run. Skipped by the graph, its successors are skipped too;
 * skipped by a user (`SkipStep`), it counts as succeeded with no outputs and
 * `branches` resolves its conditional edges.
 */
export interface StepSkipped extends EventBase {
  readonly type: 'StepSkipped';
  readonly stepId: string;
  readonly reason: SkipReason;
  /** Only for `skipped_by_user`. */
  readonly branches?: BranchResults;
  /** Only for `skipped_by_user`: who or why. */
  readonly message?: string;
}

export type StepCancelReason = 'run_failed' | 'run_cancelled' | 'run_timed_out';

/**
 * An active step stopped because the run ended, or (a paused step, a loop
 * with iterations left) because it is stopping; its later reports are rejected.
 */
export interface StepCancelled extends EventBase {
  readonly type: 'StepCancelled';
  readonly stepId: string;
  readonly attempt: number;
  readonly reason: StepCancelReason;
}

/** `StopRun` was accepted: nothing new starts; the run ends as cancelled once no step is active. */
export interface RunStopping extends EventBase {
  readonly type: 'RunStopping';
  readonly reason: string;
}

/**
 * A finished run starts its next attempt: `resetSteps` are pending again
 * (their attempt numbers keep counting), the others keep their status and
 * outputs; `params` are the run's params from now on.
 */
export interface RunRestarted extends EventBase {
  readonly type: 'RunRestarted';
  readonly runAttempt: number;
  readonly mode: RestartMode;
  readonly fromStepId: string | null;
  readonly params: JsonObject;
  readonly resetSteps: readonly string[];
  readonly timeoutAt: number | null;
}

export interface RunSucceeded extends EventBase {
  readonly type: 'RunSucceeded';
}

export type RunFailureReason = 'step_failed' | 'run_timed_out' | 'expression_error';

export interface RunFailed extends EventBase {
  readonly type: 'RunFailed';
  readonly reason: RunFailureReason;
  /** The step whose failure failed the run, when there is one. */
  readonly stepId: string | null;
  readonly message: string;
}

export interface RunCancelled extends EventBase {
  readonly type: 'RunCancelled';
  readonly reason: string;
}

/** A command the decider refused; recorded so the refusal is visible, and changes nothing but `seq`. */
export interface CommandRejected extends EventBase {
  readonly type: 'CommandRejected';
  /** `Unknown` when the refused record named no command type (it failed validation: code `InvalidCommand`). */
  readonly commandType: RunCommandType | 'Unknown';
  readonly commandId: string;
  readonly code: RejectionCode;
  readonly message: string;
}

export type RunEvent =
  | RunStarted
  | StepReady
  | StepPaused
  | ChildRunsStarted
  | ChildRunEnded
  | StepStarted
  | StepLeaseExtended
  | StepSucceeded
  | StepFailed
  | StepTimedOut
  | StepRetryScheduled
  | StepSkipped
  | StepCancelled
  | RunStopping
  | RunRestarted
  | RunSucceeded
  | RunFailed
  | RunCancelled
  | CommandRejected;

export type RunEventType = RunEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a handler writes it; the decider adds the envelope (runId, seq, schemaVersion, at). */
export type RunEventDraft = DistributiveOmit<RunEvent, keyof EventBase>;
