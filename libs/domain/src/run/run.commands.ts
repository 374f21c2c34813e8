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
}

/** An executor took the step: it holds a lease it must renew by heartbeats. */
export interface ReportStepStarted extends CommandBase {
  readonly type: 'ReportStepStarted';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  readonly leaseDurationMs: number;
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
}

export type StepErrorKind = 'user' | 'platform';

export interface FailStep extends CommandBase {
  readonly type: 'FailStep';
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  readonly errorKind: StepErrorKind;
  readonly message: string;
}

export type TimerKind = 'run_timeout' | 'step_timeout' | 'lease' | 'retry' | 'sleep';

/** Written by the engine's timer service when a deadline from `dueTimers` has passed. */
export interface FireTimer extends CommandBase {
  readonly type: 'FireTimer';
  readonly timerId: string;
  readonly kind: TimerKind;
}

export interface CancelRun extends CommandBase {
  readonly type: 'CancelRun';
  readonly reason: string;
}

export type RunCommand =
  StartRun | ReportStepStarted | ReportStepHeartbeat | CompleteStep | FailStep | FireTimer | CancelRun;

export type RunCommandType = RunCommand['type'];
