import type { StopRun } from '../run.commands';
import { rejection } from '../run.errors';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { progress } from '../run.progress';

/**
 * A graceful stop: nothing new starts (steps paused at a breakpoint are
 * cancelled, loops start no more iterations), active steps finish (their
 * successors stay pending), then the run ends as cancelled. `CancelRun` is
 * the kill.
 */
export const stopRun: CommandHandler<StopRun> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  if (tx.run.stopping) return rejection('RunAlreadyStopping', `run ${command.runId} is already stopping`);
  tx.emit({ type: 'RunStopping', reason: command.reason });
  // A step paused at a breakpoint has not started, so it never will; left
  // paused it would count as active and keep the stopping run open forever.
  for (const step of tx.run.definition.steps) {
    const { status, attempt } = tx.run.steps[step.id];
    if (status === 'paused')
      tx.emit({ type: 'StepCancelled', stepId: step.id, attempt, reason: 'run_cancelled' });
  }
  progress(tx, deps);
  return null;
};
