import { admitQueued } from '../workflow-queue.admission';
import type { RunEnded } from '../workflow-queue.commands';
import { workflowRejection } from '../workflow-queue.errors';
import type { WorkflowCommandHandler } from '../workflow-queue.handler';

/**
 * A run ended (the engine reports every top-level run's end). A run the
 * queue holds a slot for frees it; under strict_sequential a failure blocks
 * the workflow first (unless it is blocked already: the first failure is the
 * one to deal with). The blocking run ending again after a restart unblocks
 * the workflow if it succeeded, and changes nothing otherwise.
 */
export const runEnded: WorkflowCommandHandler<RunEnded> = ({ runId, outcome }, tx) => {
  if (tx.state.running.includes(runId)) {
    tx.emit({ type: 'RunFinished', runId, outcome });
    const strict = tx.state.strategy?.kind === 'strict_sequential';
    if (strict && outcome === 'failed' && tx.state.blockedBy === null) {
      tx.emit({ type: 'WorkflowBlocked', runId });
    }
    admitQueued(tx);
    return null;
  }
  if (tx.state.blockedBy === runId) {
    if (outcome === 'succeeded') {
      tx.emit({ type: 'WorkflowUnblocked', runId, reason: 'run_succeeded' });
      admitQueued(tx);
    }
    return null;
  }
  return workflowRejection('RunNotRunning', `run ${runId} holds no slot of this workflow's queue`);
};
