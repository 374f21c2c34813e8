import type { StopRun } from '../run.commands';
import { rejection } from '../run.errors';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { progress } from '../run.progress';

/**
 * A graceful stop: nothing new starts, active steps finish (their successors
 * stay pending), then the run ends as cancelled. `CancelRun` is the kill.
 */
export const stopRun: CommandHandler<StopRun> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  if (tx.run.stopping) return rejection('RunAlreadyStopping', `run ${command.runId} is already stopping`);
  tx.emit({ type: 'RunStopping', reason: command.reason });
  progress(tx, deps);
  return null;
};
