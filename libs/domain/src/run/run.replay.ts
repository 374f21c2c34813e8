import { evolve } from './run.evolve';
import type { RunEvent } from './run.events';
import { initialState, type RunState } from './run.state';

/** A run's state from its history; the engine's live state must always equal this. */
export function replay(events: readonly RunEvent[]): RunState {
  return events.reduce(evolve, initialState());
}
