import { dueTimers, type FireTimer, type RunState } from '@baton/domain';
import { DeadlineQueue } from './deadline-queue';

/**
 * When to write `FireTimer` commands for the runs this engine owns. Timers
 * themselves live in run state (durable, replayed); this is only the
 * in-memory schedule derived from it, rebuilt on partition assignment.
 *
 * A fired timer stays "in flight" until its command has been decided; if the
 * command was lost (a crash between the write and the decision), the timer is
 * fired again after `refireAfterMs`. Firing twice is harmless: the decider
 * refuses a timer that is no longer in the state.
 */
export class TimerSchedule {
  private readonly queue = new DeadlineQueue();
  private readonly inFlight = new Map<string, Map<string, number>>();

  constructor(private readonly refireAfterMs = 5_000) {}

  /** Re-derives a run's next wake-up from its (new) state. */
  track(runId: string, state: RunState): void {
    if (state.status === 'absent' || state.status !== 'running') {
      this.forget(runId);
      return;
    }
    const fired = this.inFlight.get(runId);
    if (fired) {
      for (const timerId of fired.keys()) if (!(timerId in state.timers)) fired.delete(timerId);
      if (fired.size === 0) this.inFlight.delete(runId);
    }
    this.queue.set(runId, this.nextWake(runId, state));
  }

  forget(runId: string): void {
    this.queue.delete(runId);
    this.inFlight.delete(runId);
  }

  /** The earliest instant anything may be due, or null. */
  nextWakeAt(): number | null {
    return this.queue.peek();
  }

  /** The `FireTimer` commands due at `now`, marking them in flight. */
  takeDue(
    now: number,
    stateOf: (runId: string) => RunState | undefined,
    newCommandId: () => string,
  ): FireTimer[] {
    const commands: FireTimer[] = [];
    for (const runId of this.queue.takeDue(now)) {
      const state = stateOf(runId);
      if (!state || state.status !== 'running') continue;
      const fired = this.inFlight.get(runId) ?? new Map<string, number>();
      for (const timer of dueTimers(state, now)) {
        const firedAt = fired.get(timer.id);
        if (firedAt !== undefined && now - firedAt < this.refireAfterMs) continue;
        fired.set(timer.id, now);
        commands.push({
          type: 'FireTimer',
          runId,
          timerId: timer.id,
          kind: timer.kind,
          metadata: { commandId: newCommandId(), at: now },
        });
      }
      this.inFlight.set(runId, fired);
      this.queue.set(runId, this.nextWake(runId, state));
    }
    return commands;
  }

  get size(): number {
    return this.queue.size;
  }

  private nextWake(runId: string, state: RunState): number | null {
    if (state.status === 'absent') return null;
    const fired = this.inFlight.get(runId);
    let next: number | null = null;
    for (const timer of Object.values(state.timers)) {
      const firedAt = fired?.get(timer.id);
      const at = firedAt === undefined ? timer.fireAt : firedAt + this.refireAfterMs;
      if (next === null || at < next) next = at;
    }
    return next;
  }
}
