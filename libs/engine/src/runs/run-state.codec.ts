import type { RunState, StepState } from '@baton/domain';

/**
 * Reads a run-state snapshot. Snapshots written before child runs, restarts
 * and breakpoints existed lack their fields; they get the values a run that
 * never used those features has, so an upgraded engine restores old runs.
 */
export function decodeRunState(json: string): RunState {
  const state = JSON.parse(json) as RunState;
  if (state.status === 'absent' || state.runAttempt !== undefined) return state;
  const steps: Record<string, StepState> = {};
  for (const [id, step] of Object.entries(state.steps)) steps[id] = { ...step, loop: step.loop ?? null };
  return { ...state, runAttempt: 1, parent: null, breakpoints: [], stopping: false, steps };
}
