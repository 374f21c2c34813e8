import type { StartRun } from '../run/run.commands';

/**
 * Commands of the workflow queue: the workflow-keyed single writer that
 * enforces a workflow's run strategy (topic `baton.workflow-commands`, keyed
 * by workflow id). Time arrives in `metadata.at`, stamped by the processor.
 */
export interface WorkflowCommandMetadata {
  readonly commandId: string;
  readonly at: number;
  /** Who asked (an API principal's subject); carried as `by` by the events it causes. See `CommandMetadata.by`. */
  readonly by?: string;
}

interface WorkflowCommandBase {
  readonly workflowId: string;
  readonly metadata: WorkflowCommandMetadata;
}

/**
 * Admission asks for a run; the queue starts it now, queues it or drops it per
 * the strategy of `start.definition` (the latest request's version wins).
 * Delivered at least once: a repeated run id is dropped as a duplicate.
 */
export interface RequestRun extends WorkflowCommandBase {
  readonly type: 'RequestRun';
  /** The run's start, as the engine will receive it (definition included). */
  readonly start: StartRun;
}

/**
 * The engine reports that a top-level run of the workflow ended, each time
 * it ends (a restarted run ends again). Child runs never reach the queue.
 */
export interface RunEnded extends WorkflowCommandBase {
  readonly type: 'RunEnded';
  readonly runId: string;
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
}

/** New runs queue (none starts) until `ResumeWorkflow`. */
export interface PauseWorkflow extends WorkflowCommandBase {
  readonly type: 'PauseWorkflow';
}

export interface ResumeWorkflow extends WorkflowCommandBase {
  readonly type: 'ResumeWorkflow';
}

/** strict_sequential: lets queued runs start again after a failed run, without restarting it. */
export interface UnblockWorkflow extends WorkflowCommandBase {
  readonly type: 'UnblockWorkflow';
}

/** Steps every run started from now on pauses before (replaces the previous set). */
export interface SetWorkflowBreakpoints extends WorkflowCommandBase {
  readonly type: 'SetWorkflowBreakpoints';
  readonly stepIds: readonly string[];
}

/** An operator withdraws a run still waiting in the queue: it will never start. */
export interface CancelQueuedRun extends WorkflowCommandBase {
  readonly type: 'CancelQueuedRun';
  readonly runId: string;
  readonly reason: string;
}

export type WorkflowCommand =
  | RequestRun
  | RunEnded
  | PauseWorkflow
  | ResumeWorkflow
  | UnblockWorkflow
  | SetWorkflowBreakpoints
  | CancelQueuedRun;

export type WorkflowCommandType = WorkflowCommand['type'];
