import type { RunStrategy } from '../../workflow/workflow-definition';
import { admit, admitQueued } from '../workflow-queue.admission';
import type { RequestRun } from '../workflow-queue.commands';
import type { WorkflowCommandHandler } from '../workflow-queue.handler';
import { assertNever, hasFreeSlot, knowsRun } from '../workflow-queue.state';
import type { WorkflowTransaction } from '../workflow-queue.transaction';

/**
 * A run request, under the strategy of the request's version (the latest
 * request's version wins for the workflow). A run that can start now starts
 * only if nobody is waiting before it, so the queue stays FIFO. Otherwise:
 * - parallel, sequential, strict_sequential: it waits at the back;
 * - first_only: it waits only if nothing runs or waits, else it is dropped;
 * - serial_latest_only: it takes the place of everything waiting (dropped
 *   as superseded) and waits for the running run to finish;
 * - last_only: the same, and it asks every running run to stop (a CancelRun
 *   through the run's kill path); it starts once they have ended.
 * A run id the queue has decided on already is dropped as a duplicate and
 * changes nothing else (not even the strategy).
 */
export const requestRun: WorkflowCommandHandler<RequestRun> = ({ start }, tx) => {
  const { runId, requestId } = start;
  if (knowsRun(tx.state, runId)) {
    tx.emit({ type: 'RunRequestDropped', runId, requestId, reason: 'duplicate' });
    return null;
  }
  const strategy = start.definition.runStrategy;
  if (!sameStrategy(tx.state.strategy, strategy)) {
    tx.emit({ type: 'WorkflowRunStrategyChanged', strategy });
    // A higher limit frees slots for the runs already waiting, who go first.
    admitQueued(tx);
  }
  if (tx.state.queue.length === 0 && hasFreeSlot(tx.state)) {
    admit(tx, start, false);
    return null;
  }
  queueUnder(strategy, tx, start);
  return null;
};

function queueUnder(strategy: RunStrategy, tx: WorkflowTransaction, start: RequestRun['start']): void {
  const { runId, requestId } = start;
  switch (strategy.kind) {
    case 'parallel':
    case 'sequential':
    case 'strict_sequential':
      break;
    case 'first_only':
      if (tx.state.running.length > 0 || tx.state.queue.length > 0) {
        tx.emit({ type: 'RunRequestDropped', runId, requestId, reason: 'first_only_busy' });
        return;
      }
      break;
    case 'serial_latest_only':
      supersedeWaiting(tx);
      break;
    case 'last_only':
      supersedeWaiting(tx);
      stopRunning(tx, start);
      break;
    default:
      assertNever(strategy);
  }
  tx.emit({ type: 'RunQueued', runId, requestId, start });
}

function supersedeWaiting(tx: WorkflowTransaction): void {
  for (const waiting of tx.state.queue) {
    tx.emit({
      type: 'RunRequestDropped',
      runId: waiting.start.runId,
      requestId: waiting.start.requestId,
      reason: 'superseded',
    });
  }
}

/**
 * Asks each running run to stop for `newer`, once: a run asked before (by an
 * older request) is stopping already. The CancelRun's id is derived from the
 * two runs, so a repeated batch writes the same command (the run refuses the
 * second harmlessly).
 */
function stopRunning(tx: WorkflowTransaction, newer: RequestRun['start']): void {
  for (const runId of tx.state.running) {
    if (tx.state.stopping.includes(runId)) continue;
    tx.emit({
      type: 'RunStopRequested',
      runId,
      newerRunId: newer.runId,
      cancel: {
        type: 'CancelRun',
        runId,
        reason: `last_only: run ${newer.runId} (request ${newer.requestId}) was requested after it`,
        metadata: {
          commandId: `last-only/${newer.runId}/stop/${runId}`,
          at: tx.at,
          ...(tx.by === undefined ? {} : { by: tx.by }),
        },
      },
    });
  }
}

function sameStrategy(a: RunStrategy | null, b: RunStrategy): boolean {
  if (a === null || a.kind !== b.kind) return false;
  return a.kind === 'parallel' && b.kind === 'parallel' ? a.maxConcurrent === b.maxConcurrent : true;
}
