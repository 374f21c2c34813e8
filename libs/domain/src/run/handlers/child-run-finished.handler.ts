import { childEnded, isParentStep } from '../run.children';
import type { ChildRunFinished } from '../run.commands';
import { rejection } from '../run.errors';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { stepDefinition } from '../run.progress';

/**
 * A child run of a waiting foreach, while or subworkflow step ended. It must
 * be a running child of the step's current attempt: a child of an earlier
 * attempt (the step timed out and retried) or a second report is refused.
 */
export const childRunFinished: CommandHandler<ChildRunFinished> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  const run = tx.run;
  const step = stepDefinition(run, command.stepId);
  if (step === undefined || !isParentStep(step)) {
    return rejection(
      'UnknownStep',
      `step ${command.stepId} is not a foreach, while or subworkflow step of this run`,
    );
  }
  const state = run.steps[step.id];
  if (command.attempt !== state.attempt) {
    return rejection(
      'StaleAttempt',
      `child of attempt ${command.attempt}; step ${step.id} is at attempt ${state.attempt}`,
    );
  }
  if (state.status !== 'waiting') return rejection('StepNotWaiting', `step ${step.id} is ${state.status}`);
  if (state.loop?.running[command.index] !== command.childRunId) {
    return rejection('UnknownChild', `run ${command.childRunId} is not a running child of step ${step.id}`);
  }
  const { index, childRunId, outcome, outputs, message } = command;
  const never = command.neverStarted === true ? { neverStarted: true as const } : {};
  childEnded(tx, step, { index, childRunId, outcome, outputs, message, ...never }, deps);
  return null;
};
