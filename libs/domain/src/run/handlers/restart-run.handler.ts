import type { RestartRun } from '../run.commands';
import { rejection } from '../run.errors';
import { resolveRunParams } from '../run.expressions';
import type { CommandHandler } from '../run.handler';
import { progress } from '../run.progress';
import type { Run } from '../run.state';

/**
 * Starts the next attempt of a finished run, on the same definition:
 * - `incomplete` re-runs every step that did not succeed (succeeded steps
 *   keep their outputs, which the re-run steps read);
 * - `beginning` re-runs every step;
 * - `from_step` re-runs the step and everything downstream of it, plus the
 *   steps the run's end cancelled.
 * Given params replace the run's; they are checked like a new run's.
 */
export const restartRun: CommandHandler<RestartRun> = (command, tx, deps) => {
  const state = tx.state;
  if (state.status === 'absent') return rejection('RunNotFound', `run ${command.runId} does not exist`);
  if (state.status === 'running') {
    return rejection('RunNotFinished', `run ${command.runId} is still running; stop or kill it first`);
  }
  if (command.mode === 'from_step' && (command.stepId === undefined || !(command.stepId in state.steps))) {
    return rejection(
      'UnknownStep',
      `restart from step ${command.stepId ?? '(none)'}: no such step in this run`,
    );
  }
  const params = resolveRunParams(
    { runId: state.runId, definition: state.definition, scheduledAt: state.scheduledAt },
    { ...state.params, ...(command.params ?? {}) },
    deps.expressions,
  );
  if (!params.ok) return rejection('InvalidParams', params.message);
  const { timeoutMs } = state.definition;
  tx.emit({
    type: 'RunRestarted',
    runAttempt: state.runAttempt + 1,
    mode: command.mode,
    fromStepId: command.mode === 'from_step' ? (command.stepId ?? null) : null,
    params: params.value,
    resetSteps: stepsToReset(state, command),
    timeoutAt: timeoutMs === undefined ? null : tx.at + timeoutMs,
  });
  progress(tx, deps);
  return null;
};

function stepsToReset(run: Run, command: RestartRun): string[] {
  const ids = run.definition.steps.map((step) => step.id);
  switch (command.mode) {
    case 'beginning':
      return ids;
    case 'incomplete':
      return ids.filter((id) => run.steps[id].status !== 'succeeded');
    case 'from_step': {
      const downstream = new Set<string>([command.stepId as string]);
      // Definition order is not topological, so repeat until nothing is added.
      for (let grew = true; grew;) {
        grew = false;
        for (const edge of run.definition.edges) {
          if (downstream.has(edge.from) && !downstream.has(edge.to)) {
            downstream.add(edge.to);
            grew = true;
          }
        }
      }
      // A step the run's end cancelled never finished: its successors wait on
      // it, so it runs again too (left cancelled, the run could never end).
      return ids.filter((id) => downstream.has(id) || run.steps[id].status === 'cancelled');
    }
    default: {
      const unexpected: never = command.mode;
      throw new Error(`unknown restart mode ${String(unexpected)}`);
    }
  }
}
