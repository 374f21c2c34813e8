import type { StartRun } from '../run/run.commands';
import type { WorkflowDefinition } from '../workflow/workflow-definition';

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

/** A validated definition before the workflow's writer numbers it (a `version` it carries is ignored). */
export type WorkflowDefinitionDraft = Omit<WorkflowDefinition, 'version'> & { readonly version?: number };

/**
 * Adds a version of the workflow (the API's and the CLI's push). The writer
 * numbers it: the next after the latest, unless the definition equals the
 * latest version's (re-pushing the same file is a no-op). `activate` makes
 * it the active version (ending a deactivation); a first version always is.
 */
export interface PushWorkflowVersion extends WorkflowCommandBase {
  readonly type: 'PushWorkflowVersion';
  readonly definition: WorkflowDefinitionDraft;
  /** The document as the user wrote it (YAML or JSON), kept for the read model. */
  readonly source: string;
  readonly activate: boolean;
  /**
   * Set by the one-time seeding of an upgraded installation's SQL registry:
   * the version this push must become, or it is refused (`VersionConflict`)
   * and nothing changes, so seeding twice adds nothing. Skips the unchanged check.
   */
  readonly expectedVersion?: number;
}

/** Makes a pushed version the one new runs of "the active version" use. */
export interface ActivateWorkflowVersion extends WorkflowCommandBase {
  readonly type: 'ActivateWorkflowVersion';
  readonly version: number;
}

/** Leaves the workflow with no active version until one is activated; twice changes nothing. */
export interface DeactivateWorkflow extends WorkflowCommandBase {
  readonly type: 'DeactivateWorkflow';
}

export type WorkflowCommand =
  | PushWorkflowVersion
  | ActivateWorkflowVersion
  | DeactivateWorkflow
  | RequestRun
  | RunEnded
  | PauseWorkflow
  | ResumeWorkflow
  | UnblockWorkflow
  | SetWorkflowBreakpoints
  | CancelQueuedRun;

export type WorkflowCommandType = WorkflowCommand['type'];
