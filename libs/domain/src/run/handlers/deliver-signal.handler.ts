import { attemptSucceeded } from '../run.attempts';
import type { DeliverSignal } from '../run.commands';
import { rejection } from '../run.errors';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { stepDefinition } from '../run.progress';

/**
 * A signal matched a waiting wait_for_signal step: the step succeeds with
 * `{ signal_id, params }` as its result. A delivery to an attempt that no
 * longer waits (timed out, skipped, already delivered) is refused.
 */
export const deliverSignal: CommandHandler<DeliverSignal> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  const run = tx.run;
  const step = stepDefinition(run, command.stepId);
  if (step === undefined || step.type !== 'wait_for_signal') {
    return rejection('UnknownStep', `step ${command.stepId} is not a wait_for_signal step of this run`);
  }
  const state = run.steps[step.id];
  if (command.attempt !== state.attempt) {
    return rejection(
      'StaleAttempt',
      `signal for attempt ${command.attempt}; step ${step.id} is at attempt ${state.attempt}`,
    );
  }
  if (state.status !== 'waiting') return rejection('StepNotWaiting', `step ${step.id} is ${state.status}`);
  attemptSucceeded(tx, step.id, { signal_id: command.signalId, params: command.signalParams }, deps);
  return null;
};
