import type { RestartRun } from '../run.commands';
import { rejection } from '../run.errors';
import { resolveRunParams } from '../run.expressions';
import type { CommandHandler } from '../run.handler';
import { progress } from '../run.progress';
import type { Run } from '../run.state';
import type { Edge } from '../../workflow/workflow-definition';

/**
 * Starts the next attempt of a finished run, on the same definition:
 * - `incomplete` re-runs every step that did not succeed (succeeded steps
 *   keep their outputs, which the re-run steps read);
 * - `beginning` re-runs every step;
 * - `from_step` re-runs the step and everything downstream of it; a step
 *   the run's end cancelled elsewhere keeps its outcome unless a step that
 *   has still to run waits for it (left cancelled, that one could never
 *   start). A run that ends with such a step still cancelled ends cancelled.
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
    case 'from_step':
      return fromStep(run, command.stepId as string);
    default: {
      const unexpected: never = command.mode;
      throw new Error(`unknown restart mode ${String(unexpected)}`);
    }
  }
}

/**
 * The step, its downstream, then (to a fixpoint) every cancelled step with a
 * successor that will run: reset, or pending because it never ran. The rest
 * keeps its outcome. In definition order.
 */
function fromStep(run: Run, stepId: string): string[] {
  const { edges } = run.definition;
  const reset = new Set<string>([stepId]);
  // Definition order is not topological, so each closure repeats until nothing is added.
  closeOver(edges, reset, (edge) => (reset.has(edge.from) ? edge.to : null));
  closeOver(edges, reset, (edge) => {
    const waits = reset.has(edge.to) || run.steps[edge.to].status === 'pending';
    return waits && run.steps[edge.from].status === 'cancelled' ? edge.from : null;
  });
  return run.definition.steps.map((step) => step.id).filter((id) => reset.has(id));
}

/** Adds what `pick` names for each edge to `set` until nothing more is added. */
function closeOver(edges: readonly Edge[], set: Set<string>, pick: (edge: Edge) => string | null): void {
  for (let grew = true; grew;) {
    grew = false;
    for (const edge of edges) {
      const id = pick(edge);
      if (id !== null && !set.has(id)) {
        set.add(id);
        grew = true;
      }
    }
  }
}
