import type { RunCommand } from './run.commands';
import { rejection, type RunRejection } from './run.errors';
import type { RunState, StepState, StepStatus } from './run.state';

/**
 * Validation shared by the handlers. Each returns the reason to refuse, or
 * null to continue; handlers check before they emit anything.
 */
export function checkRunning(state: RunState, command: RunCommand): RunRejection | null {
  if (state.status === 'absent') return rejection('RunNotFound', `run ${command.runId} does not exist`);
  if (state.runId !== command.runId) {
    return rejection('RunIdMismatch', `command for run ${command.runId} reached run ${state.runId}`);
  }
  if (state.status !== 'running')
    return rejection('RunNotRunning', `run ${command.runId} is ${state.status}`);
  return null;
}

interface StepReport {
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId?: string;
}

/**
 * An executor's report must name a known step, its current attempt, a step in
 * `expected` status and, once started, the lease holder. Anything else is a
 * late or duplicated report (a retry superseded the attempt, the run was
 * cancelled, the lease expired and another executor took over).
 */
export function checkReport(
  state: RunState,
  command: RunCommand & StepReport,
  expected: StepStatus,
): RunRejection | null {
  const notRunning = checkRunning(state, command);
  if (notRunning !== null || state.status === 'absent') return notRunning;
  const step: StepState | undefined = state.steps[command.stepId];
  if (step === undefined) return rejection('UnknownStep', `step ${command.stepId} is not in this run`);
  if (command.attempt !== step.attempt) {
    return rejection(
      'StaleAttempt',
      `step ${command.stepId} attempt ${command.attempt} reported, current attempt is ${step.attempt}`,
    );
  }
  if (step.status !== expected) {
    return rejection(
      expected === 'ready' ? 'StepNotReady' : 'StepNotRunning',
      `step ${command.stepId} is ${step.status}, not ${expected}`,
    );
  }
  if (expected === 'running' && command.executorId !== step.executorId) {
    return rejection(
      'NotLeaseHolder',
      `executor ${command.executorId ?? '?'} does not hold the lease of step ${command.stepId} (held by ${step.executorId ?? 'nobody'})`,
    );
  }
  return null;
}
