import type { StartRun } from '../run/run.commands';
import { hasFreeSlot, queuedStart } from './workflow-queue.state';
import type { WorkflowTransaction } from './workflow-queue.transaction';

/**
 * Starts queued runs, oldest first, while a slot is free. Every command that
 * can free a slot or lift a stop (a run ended, resume, unblock, a strategy
 * with a higher limit) ends with it, which keeps the state's invariant that
 * nothing queued could start now.
 */
export function admitQueued(tx: WorkflowTransaction): void {
  while (tx.state.queue.length > 0 && hasFreeSlot(tx.state)) {
    admit(tx, queuedStart(tx.state, tx.state.queue[0]), true);
  }
}

/** Lets `start` run, with the workflow's breakpoints as they are at this instant. */
export function admit(tx: WorkflowTransaction, start: StartRun, fromQueue: boolean): void {
  tx.emit({
    type: 'RunAdmitted',
    runId: start.runId,
    requestId: start.requestId,
    fromQueue,
    start: withBreakpoints(start, tx.state.breakpoints),
  });
}

/** The request's own breakpoints first, then the workflow's; each step once. A run without any keeps no field. */
function withBreakpoints(start: StartRun, workflowBreakpoints: readonly string[]): StartRun {
  const merged = [...new Set([...(start.breakpoints ?? []), ...workflowBreakpoints])];
  return merged.length === 0 ? start : { ...start, breakpoints: merged };
}
