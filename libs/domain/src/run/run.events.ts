import type { JsonObject } from '../shared/json';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import type { RunCommandType, StepErrorKind } from './run.commands';
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
}

/**
 * Where a ready step goes: an executor pool's step-ready topic, or (sleep) an
 * engine timer that completes it at `wakeAt` without using an executor.
 */
export type StepDispatch =
  { readonly kind: 'pool'; readonly pool: string } | { readonly kind: 'timer'; readonly wakeAt: number };

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
}

export interface StepFailed extends EventBase {
  readonly type: 'StepFailed';
  readonly stepId: string;
  readonly attempt: number;
  readonly errorKind: StepErrorKind;
  readonly message: string;
  readonly willRetry: boolean;
  /** Filled only for a final failure under `failureMode: 'ignore'` (successors run). */
  readonly branches: BranchResults;
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

export type SkipReason = 'condition_false' | 'branch_not_taken' | 'upstream_failed';

export interface StepSkipped extends EventBase {
  readonly type: 'StepSkipped';
  readonly stepId: string;
  readonly reason: SkipReason;
}

export type StepCancelReason = 'run_failed' | 'run_cancelled' | 'run_timed_out';

/** A ready, running, sleeping or retry-waiting step stopped because the run ended; its later reports are rejected. */
export interface StepCancelled extends EventBase {
  readonly type: 'StepCancelled';
  readonly stepId: string;
  readonly attempt: number;
  readonly reason: StepCancelReason;
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
  readonly commandType: RunCommandType;
  readonly commandId: string;
  readonly code: RejectionCode;
  readonly message: string;
}

export type RunEvent =
  | RunStarted
  | StepReady
  | StepStarted
  | StepLeaseExtended
  | StepSucceeded
  | StepFailed
  | StepTimedOut
  | StepRetryScheduled
  | StepSkipped
  | StepCancelled
  | RunSucceeded
  | RunFailed
  | RunCancelled
  | CommandRejected;

export type RunEventType = RunEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a handler writes it; the decider adds the envelope (runId, seq, schemaVersion, at). */
export type RunEventDraft = DistributiveOmit<RunEvent, keyof EventBase>;
