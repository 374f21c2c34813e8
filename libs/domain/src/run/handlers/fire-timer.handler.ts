import type { FireTimer } from '../run.commands';
import { attemptFailed, attemptSucceeded } from '../run.attempts';
import { rejection } from '../run.errors';
import { assertNever } from '../run.evolve';
import { checkRunning } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { failRun, makeReady, stepDefinition } from '../run.progress';

/**
 * A deadline from the timers index has passed. The fire must match a timer
 * still in the index (same id and kind) and not be early: a lease extended
 * after the engine scheduled the fire, or a timer of a finished attempt, makes
 * the fire stale and it is refused.
 */
export const fireTimer: CommandHandler<FireTimer> = (command, tx, deps) => {
  const refused = checkRunning(tx.state, command);
  if (refused !== null) return refused;
  const run = tx.run;
  const timer = run.timers[command.timerId];
  if (timer === undefined || timer.kind !== command.kind) {
    return rejection('UnknownTimer', `no ${command.kind} timer ${command.timerId} is pending`);
  }
  if (tx.at < timer.fireAt) {
    return rejection('TimerNotDue', `timer ${timer.id} is due at ${timer.fireAt}, fired at ${tx.at}`);
  }
  if (timer.kind === 'run_timeout') {
    failRun(
      tx,
      'run_timed_out',
      null,
      `run exceeded its timeout of ${run.definition.timeoutMs ?? 0} ms`,
      'run_timed_out',
    );
    return null;
  }
  // Invariant (evolve): every timer but the run timeout names its step and attempt.
  const { stepId, attempt } = timer;
  if (stepId === null || attempt === null) throw new Error(`timer ${timer.id} has no step`);
  switch (timer.kind) {
    case 'step_timeout':
      attemptFailed(tx, stepId, attempt, 'timeout', 'step timed out', deps, { retryable: true });
      return null;
    case 'lease': {
      const holder = run.steps[stepId].executorId ?? '?';
      const message = `lease of executor ${holder} expired without a heartbeat`;
      attemptFailed(tx, stepId, attempt, 'platform', message, deps, { retryable: true });
      return null;
    }
    case 'retry': {
      const step = stepDefinition(run, stepId);
      if (step === undefined) throw new Error(`retry timer for unknown step ${stepId}`);
      makeReady(tx, step, attempt, deps);
      return null;
    }
    case 'sleep':
      attemptSucceeded(tx, stepId, null, deps);
      return null;
    default:
      return assertNever(timer.kind);
  }
};
