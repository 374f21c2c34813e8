import type { ResumeStep, SkipStep } from '../run.commands';
import { rejection } from '../run.errors';
import { evaluateBranches } from '../run.expressions';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { failRun, makeReady, progress, stepDefinition } from '../run.progress';
import { isActive } from '../run.state';

/**
 * Skips a pending or active step as if it had succeeded with no outputs: an
 * active attempt is abandoned (the engine tells its executor or children to
 * stop) and the step's successors run, its conditional edges evaluated with
 * the step `SKIPPED`.
 */
export const skipStep: CommandHandler<SkipStep> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  const run = tx.run;
  const state = run.steps[command.stepId];
  if (state === undefined) return rejection('UnknownStep', `step ${command.stepId} is not in this run`);
  if (state.status !== 'pending' && !isActive(state.status)) {
    return rejection('StepNotSkippable', `step ${command.stepId} is already ${state.status}`);
  }
  const branches = evaluateBranches(
    run,
    command.stepId,
    { status: 'skipped', outputs: {} },
    deps.expressions,
  );
  tx.emit({
    type: 'StepSkipped',
    stepId: command.stepId,
    reason: 'skipped_by_user',
    message: command.reason,
    branches: branches.ok ? branches.value : {},
  });
  if (!branches.ok) {
    failRun(tx, 'expression_error', command.stepId, branches.message, 'run_failed');
    return null;
  }
  progress(tx, deps);
  return null;
};

/** Lets a step paused at a breakpoint go on: it becomes ready with its next attempt. */
export const resumeStep: CommandHandler<ResumeStep> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  const run = tx.run;
  const step = stepDefinition(run, command.stepId);
  if (step === undefined) return rejection('UnknownStep', `step ${command.stepId} is not in this run`);
  const state = run.steps[step.id];
  if (state.status !== 'paused')
    return rejection('StepNotPaused', `step ${step.id} is ${state.status}, not paused`);
  makeReady(tx, step, state.attempt + 1, deps);
  progress(tx, deps);
  return null;
};
