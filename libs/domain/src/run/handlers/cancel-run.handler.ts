import type { CancelRun } from '../run.commands';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { cancelActiveSteps } from '../run.progress';

/**
 * Stops scheduling, cancels every active step and ends the run. A second
 * cancel (or a cancel of a finished run) is refused, harmlessly.
 */
export const cancelRun: CommandHandler<CancelRun> = (command, tx) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  cancelActiveSteps(tx, 'run_cancelled');
  tx.emit({ type: 'RunCancelled', reason: command.reason });
  return null;
};
