import { admitQueued } from '../workflow-queue.admission';
import type {
  PauseWorkflow,
  ResumeWorkflow,
  SetWorkflowBreakpoints,
  UnblockWorkflow,
} from '../workflow-queue.commands';
import { workflowRejection } from '../workflow-queue.errors';
import type { WorkflowCommandHandler } from '../workflow-queue.handler';

/** Operators' controls of a workflow's queue. Pausing holds new runs back; runs already started go on. */
export const pauseWorkflow: WorkflowCommandHandler<PauseWorkflow> = (_command, tx) => {
  if (tx.state.paused) return workflowRejection('AlreadyPaused', 'the workflow is paused already');
  tx.emit({ type: 'WorkflowPaused' });
  return null;
};

export const resumeWorkflow: WorkflowCommandHandler<ResumeWorkflow> = (_command, tx) => {
  if (!tx.state.paused) return workflowRejection('NotPaused', 'the workflow is not paused');
  tx.emit({ type: 'WorkflowResumed' });
  admitQueued(tx);
  return null;
};

/** Lets queued runs start after a strict_sequential failure, leaving the failed run as it is. */
export const unblockWorkflow: WorkflowCommandHandler<UnblockWorkflow> = (_command, tx) => {
  const blockedBy = tx.state.blockedBy;
  if (blockedBy === null) return workflowRejection('NotBlocked', 'the workflow is not blocked');
  tx.emit({ type: 'WorkflowUnblocked', runId: blockedBy, reason: 'unblocked' });
  admitQueued(tx);
  return null;
};

/** Replaces the set; an empty list clears it. Runs already started keep the breakpoints they started with. */
export const setWorkflowBreakpoints: WorkflowCommandHandler<SetWorkflowBreakpoints> = ({ stepIds }, tx) => {
  tx.emit({ type: 'WorkflowBreakpointsSet', stepIds: [...new Set(stepIds)] });
  return null;
};
