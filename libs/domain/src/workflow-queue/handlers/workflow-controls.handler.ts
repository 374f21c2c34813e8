import { admitQueued } from '../workflow-queue.admission';
import type {
  CancelQueuedRun,
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

/** Withdraws a queued run; one already started is cancelled through the run (`CancelRun`) instead. */
export const cancelQueuedRun: WorkflowCommandHandler<CancelQueuedRun> = ({ runId }, tx) => {
  const queued = tx.state.queue.find((entry) => entry.start.runId === runId);
  if (queued === undefined) {
    const where = tx.state.running.includes(runId) ? 'has started: cancel the run itself' : 'is not queued';
    return workflowRejection('RunNotQueued', `run ${runId} ${where}`);
  }
  tx.emit({ type: 'RunRequestDropped', runId, requestId: queued.start.requestId, reason: 'cancelled' });
  return null;
};
