/**
 * Why the queue refused a workflow command. Each is harmless: the decider
 * records a `WorkflowCommandRejected` and the queue stays as it was.
 */
export type WorkflowRejectionCode =
  /** PauseWorkflow on a paused workflow. */
  | 'AlreadyPaused'
  /** ResumeWorkflow on a workflow that is not paused. */
  | 'NotPaused'
  /** UnblockWorkflow on a workflow that is not blocked. */
  | 'NotBlocked'
  /**
   * RunEnded for a run the queue is not holding a slot for: a run started
   * before the queue existed, or a restarted run ending again (a restart
   * does not go through the queue).
   */
  | 'RunNotRunning'
  /** CancelQueuedRun for a run that is not waiting in the queue (started, dropped, or never requested). */
  | 'RunNotQueued'
  /** ActivateWorkflowVersion or DeactivateWorkflow for a workflow with no version pushed. */
  | 'WorkflowNotFound'
  /** ActivateWorkflowVersion for a version never pushed. */
  | 'WorkflowVersionNotFound'
  /** PushWorkflowVersion whose `expectedVersion` is not the next one (seeding ran before). */
  | 'VersionConflict';

export interface WorkflowRejection {
  readonly code: WorkflowRejectionCode;
  readonly message: string;
}

export function workflowRejection(code: WorkflowRejectionCode, message: string): WorkflowRejection {
  return { code, message };
}
