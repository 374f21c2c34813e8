import type { RunState, RunTimer } from './run.state';

/**
 * The engine's view of the timers index: it schedules one `FireTimer` per due
 * timer (same id and kind). Firing early or twice is harmless, the decider
 * refuses it.
 */

/** Timers due at `now`, earliest first (ties by id, so the order is stable). */
export function dueTimers(state: RunState, now: number): RunTimer[] {
  if (state.status === 'absent') return [];
  return Object.values(state.timers)
    .filter((timer) => timer.fireAt <= now)
    .sort((a, b) => a.fireAt - b.fireAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The earliest deadline, or null when the run waits on no timer. */
export function nextDeadline(state: RunState): number | null {
  if (state.status === 'absent') return null;
  let next: number | null = null;
  for (const timer of Object.values(state.timers)) {
    if (next === null || timer.fireAt < next) next = timer.fireAt;
  }
  return next;
}
