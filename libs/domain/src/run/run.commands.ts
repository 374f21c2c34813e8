import type { JsonObject, JsonValue } from '../shared/json';
import type { WorkflowDefinition } from '../workflow/workflow-definition';

/**
 * Every command on a run, keyed by `runId` on the commands topic. Commands are
 * plain JSON requests; the decider answers each with events (possibly a single
 * `CommandRejected`). Time never comes from the machine: `metadata.at` is the
 * instant the shell assigns, in epoch milliseconds.
 */
export interface CommandMetadata {
  /** Unique per command; echoed on `CommandRejected` so a caller can correlate. */
  readonly commandId: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /**
   * Who asked (an API principal's subject, e.g. `token:3f9a0c1b2d4e`), for
   * the audit trail: every event the command causes carries it as `by`.
   * Absent on commands the platform writes itself (timers, executors) and on
   * commands written before it existed.
   */
  readonly by?: string;
}

interface CommandBase {
  readonly runId: string;
  readonly metadata: CommandMetadata;
}

export interface StartRun extends CommandBase {
  readonly type: 'StartRun';
  /** The exact version the run executes; replay never looks at today's workflow. */
  readonly definition: WorkflowDefinition;
  /** Params as given by the caller; resolved against `definition.params`. */
  readonly params: JsonObject;
  /** The caller's idempotency key (e.g. the run-request record's key). */
  readonly requestId: string;
  /** When the run was asked for (epoch ms); `run.scheduled_at` in expressions. */
  readonly scheduledAt: number;
  /** Set when a foreach, while or subworkflow step of another run started this one. */
  readonly parent?: ParentLink;
  /** Step ids the run pauses before (see `ResumeStep`). */
  readonly breakpoints?: readonly string[];
}

/**
 * Where a child run came from. The engine tells the parent how the child
 * ended (`ChildRunFinished`) when `notify` is set (a foreach or while
 * iteration, a subworkflow that is waited for).
 */
export interface ParentLink {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** The iteration (foreach, while) or 0 (subworkflow). */
  readonly index: number;
  /** 1 for a child of a top-level run, 2 for a grandchild... */
  readonly depth: number;
  readonly notify: boolean;
}

/** An executor took the step: it holds a lease it must renew by heartbeats. */
export interface ReportStepStarted extends CommandBase {
  readonly type: 'ReportStepStarted';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  readonly leaseDurationMs: number;
  /**
   * The executor waits for the engine's verdict before it runs the step (a
   * task that may be a redelivery): on acceptance the engine also publishes a
   * `StepStartGranted`. The decision itself is the same either way.
   */
  readonly confirm?: boolean;
}

export interface ReportStepHeartbeat extends CommandBase {
  readonly type: 'ReportStepHeartbeat';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
}

export interface CompleteStep extends CommandBase {
  readonly type: 'CompleteStep';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  /** What the step produced; the step's `outputs` expressions read it as `result`. */
  readonly result: JsonValue;
  /** The executor's `StepLogs` record for this attempt was acknowledged before this report (see `StepSucceeded.logsWritten`). */
  readonly logsWritten?: boolean;
}

export type StepErrorKind = 'user' | 'platform';

export interface FailStep extends CommandBase {
  readonly type: 'FailStep';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  readonly errorKind: StepErrorKind;
  readonly message: string;
  /**
   * The process's exit code, when the step is a process that exited
   * (optional: executors before it, and workers in other languages, may not
   * send it). The engine decides from it whether the failure may be retried
   * (`retryableExitCodes` of a shell step).
   */
  readonly exitCode?: number;
  /** As `CompleteStep.logsWritten`. */
  readonly logsWritten?: boolean;
}

export type TimerKind = 'run_timeout' | 'step_timeout' | 'lease' | 'retry' | 'sleep';

/** Written by the engine's timer service when a deadline from `dueTimers` has passed. */
export interface FireTimer extends CommandBase {
  readonly type: 'FireTimer';
  readonly timerId: string;
  readonly kind: TimerKind;
}

/** Kill: cancels every active step now and ends the run as cancelled. */
export interface CancelRun extends CommandBase {
  readonly type: 'CancelRun';
  readonly reason: string;
}

/** Stop: starts nothing new, lets active steps finish, then ends the run as cancelled. */
export interface StopRun extends CommandBase {
  readonly type: 'StopRun';
  readonly reason: string;
}

export type RestartMode =
  /** Re-run every step that did not succeed; succeeded steps keep their outputs. */
  | 'incomplete'
  /** Re-run every step. */
  | 'beginning'
  /** Re-run `stepId` and everything downstream of it (and any step the run's end cancelled). */
  | 'from_step';

/** Starts a new attempt of a finished run. */
export interface RestartRun extends CommandBase {
  readonly type: 'RestartRun';
  readonly mode: RestartMode;
  /** Required for `from_step`. */
  readonly stepId?: string;
  /** Replace these params (the rest keep their values). */
  readonly params?: JsonObject;
}

/**
 * Skips a step of a running run as if it had succeeded with no outputs:
 * an active attempt is cancelled, and its successors run.
 */
export interface SkipStep extends CommandBase {
  readonly type: 'SkipStep';
  readonly stepId: string;
  readonly reason: string;
}

/** Lets a step paused at a breakpoint start. */
export interface ResumeStep extends CommandBase {
  readonly type: 'ResumeStep';
  readonly stepId: string;
}

export type ChildRunOutcome = 'succeeded' | 'failed' | 'cancelled';

/** Written by the engine to the parent when a child run it is told about ends (or could not start). */
export interface ChildRunFinished extends CommandBase {
  readonly type: 'ChildRunFinished';
  readonly stepId: string;
  readonly attempt: number;
  readonly index: number;
  readonly childRunId: string;
  readonly outcome: ChildRunOutcome;
  /** The child's succeeded steps' outputs by step id. */
  readonly outputs: JsonObject;
  readonly message: string;
  /** The child could not start (its workflow is unknown): no run of it will ever exist. */
  readonly neverStarted?: boolean;
}

/** Written by the signal router when a signal matches a waiting step. */
export interface DeliverSignal extends CommandBase {
  readonly type: 'DeliverSignal';
  readonly stepId: string;
  readonly attempt: number;
  readonly signalId: string;
  readonly signalParams: JsonObject;
}

export type RunCommand =
  | StartRun
  | ReportStepStarted
  | ReportStepHeartbeat
  | CompleteStep
  | FailStep
  | FireTimer
  | CancelRun
  | StopRun
  | RestartRun
  | SkipStep
  | ResumeStep
  | ChildRunFinished
  | DeliverSignal;

export type RunCommandType = RunCommand['type'];
