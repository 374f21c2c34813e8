import type { CancelRun, StartRun } from '../run/run.commands';
import type { RunStrategy, WorkflowDefinition } from '../workflow/workflow-definition';
import type { WorkflowCommandType, RunEnded } from './workflow-queue.commands';
import type { WorkflowRejectionCode } from './workflow-queue.errors';

/**
 * Every event of a workflow's queue (topic `baton.workflow-events`, keyed by
 * workflow id): the only input of `evolveWorkflowQueue`, and what the queue
 * projector folds into the read model. Versioning as for run events:
 * `schemaVersion` is per event type, and a change of meaning bumps it.
 */
export const WORKFLOW_EVENT_SCHEMA_VERSION = 1;

interface WorkflowEventBase {
  readonly workflowId: string;
  /** 1, 2, 3... per workflow with no gaps, rejections included; the projector dedupes on it. */
  readonly seq: number;
  readonly schemaVersion: number;
  /** Epoch ms: the `at` of the command that caused the event. */
  readonly at: number;
  /** Who caused it: its command's `metadata.by`, when it had one (see `RunEvent`'s `by`). */
  readonly by?: string;
}

/**
 * The run strategy in force changed: a request carried a version whose
 * strategy differs from the last one seen (the latest request's version
 * wins). Comes before that request's own event.
 */
export interface WorkflowRunStrategyChanged extends WorkflowEventBase {
  readonly type: 'WorkflowRunStrategyChanged';
  readonly strategy: RunStrategy;
}

/** A request waits at the back of the queue (paused, blocked, or no free slot). */
export interface RunQueued extends WorkflowEventBase {
  readonly type: 'RunQueued';
  readonly runId: string;
  readonly requestId: string;
  /** The run's start as admission made it; breakpoints are merged only when it starts. */
  readonly start: StartRun;
}

/**
 * The queue let a run start: `start` (the workflow's breakpoints merged in)
 * is written to `baton.run-commands` in the same transaction. `fromQueue`
 * tells a run that waited from one that started on request.
 */
export interface RunAdmitted extends WorkflowEventBase {
  readonly type: 'RunAdmitted';
  readonly runId: string;
  readonly requestId: string;
  readonly fromQueue: boolean;
  readonly start: StartRun;
}

export type RunDropReason =
  /** The same run was already requested (admission delivers at least once). */
  | 'duplicate'
  /** first_only: a run was already running or waiting. */
  | 'first_only_busy'
  /** last_only, serial_latest_only: a newer request took this queued one's place. */
  | 'superseded'
  /** An operator cancelled it while it was queued (`CancelQueuedRun`). */
  | 'cancelled';

/** Whether a request dropped for `reason` had been queued (and so leaves the queue). */
export function wasQueued(reason: RunDropReason): boolean {
  return reason === 'superseded' || reason === 'cancelled';
}

/** A request that will never start. A superseded run was queued before. */
export interface RunRequestDropped extends WorkflowEventBase {
  readonly type: 'RunRequestDropped';
  readonly runId: string;
  readonly requestId: string;
  readonly reason: RunDropReason;
}

/**
 * last_only: a newer request (`newerRunId`) arrived while `runId` ran. The
 * queue stops it through the run's normal kill path: `cancel` is written to
 * `baton.run-commands` (keyed by run id) in the same transaction, so the run
 * ends cancelled with its active steps cancelled. The run keeps its slot
 * until it has ended (`RunFinished`); the newer one waits queued until then.
 */
export interface RunStopRequested extends WorkflowEventBase {
  readonly type: 'RunStopRequested';
  readonly runId: string;
  readonly newerRunId: string;
  readonly cancel: CancelRun;
}

/** A run the queue started ended: its slot is free. */
export interface RunFinished extends WorkflowEventBase {
  readonly type: 'RunFinished';
  readonly runId: string;
  readonly outcome: RunEnded['outcome'];
}

export interface WorkflowPaused extends WorkflowEventBase {
  readonly type: 'WorkflowPaused';
}

export interface WorkflowResumed extends WorkflowEventBase {
  readonly type: 'WorkflowResumed';
}

/** strict_sequential: `runId` failed; nothing starts until it succeeds after a restart, or an unblock. */
export interface WorkflowBlocked extends WorkflowEventBase {
  readonly type: 'WorkflowBlocked';
  readonly runId: string;
}

export interface WorkflowUnblocked extends WorkflowEventBase {
  readonly type: 'WorkflowUnblocked';
  /** The run that had blocked the workflow. */
  readonly runId: string;
  readonly reason: 'run_succeeded' | 'unblocked';
}

/** Steps every run started from now on pauses before (in addition to its request's own). */
export interface WorkflowBreakpointsSet extends WorkflowEventBase {
  readonly type: 'WorkflowBreakpointsSet';
  readonly stepIds: readonly string[];
}

/** A command refused; it changes nothing but the seq. */
export interface WorkflowCommandRejected extends WorkflowEventBase {
  readonly type: 'WorkflowCommandRejected';
  readonly commandType: WorkflowCommandType;
  readonly commandId: string;
  readonly code: WorkflowRejectionCode;
  readonly message: string;
}

/**
 * The registry events: the answer to `PushWorkflowVersion`,
 * `ActivateWorkflowVersion` and `DeactivateWorkflow`, exactly one per
 * accepted command. Each carries its command's id, so whoever sent it (the
 * API) can find its outcome in the read model. `activeVersion` is the
 * workflow's active version after the event (null: deactivated).
 */
interface RegistryEventBase extends WorkflowEventBase {
  readonly commandId: string;
}

/**
 * A new version, numbered by the writer (1, 2, 3... per workflow, no gaps).
 * Its definition is also written, in the same transaction, to the compacted
 * `baton.workflow-definitions`, which the engines' definition catalogs read.
 */
export interface WorkflowVersionPushed extends RegistryEventBase {
  readonly type: 'WorkflowVersionPushed';
  readonly version: number;
  /** Stamped with `version`. */
  readonly definition: WorkflowDefinition;
  readonly source: string;
  readonly activeVersion: number | null;
}

/** A push whose definition equals the latest version's: nothing changed. */
export interface WorkflowPushUnchanged extends RegistryEventBase {
  readonly type: 'WorkflowPushUnchanged';
  /** The latest version, which the push is answered with. */
  readonly version: number;
  readonly activeVersion: number | null;
}

/** `version` is active from now on (an activation, or an unchanged re-push with activate). */
export interface WorkflowVersionActivated extends RegistryEventBase {
  readonly type: 'WorkflowVersionActivated';
  readonly version: number;
}

/** No version is active from now on; `previousVersion` null: it was deactivated already. */
export interface WorkflowDeactivated extends RegistryEventBase {
  readonly type: 'WorkflowDeactivated';
  readonly previousVersion: number | null;
}

export type WorkflowRegistryEvent =
  WorkflowVersionPushed | WorkflowPushUnchanged | WorkflowVersionActivated | WorkflowDeactivated;

export type WorkflowEvent =
  | WorkflowVersionPushed
  | WorkflowPushUnchanged
  | WorkflowVersionActivated
  | WorkflowDeactivated
  | WorkflowRunStrategyChanged
  | RunQueued
  | RunAdmitted
  | RunRequestDropped
  | RunStopRequested
  | RunFinished
  | WorkflowPaused
  | WorkflowResumed
  | WorkflowBlocked
  | WorkflowUnblocked
  | WorkflowBreakpointsSet
  | WorkflowCommandRejected;

export type WorkflowEventType = WorkflowEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a handler emits it; the transaction adds the envelope. */
export type WorkflowEventDraft = DistributiveOmit<
  WorkflowEvent,
  'workflowId' | 'seq' | 'schemaVersion' | 'at'
>;
