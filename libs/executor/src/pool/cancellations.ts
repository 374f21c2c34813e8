import { decodeMessage, StepCancellationDto, type Decoded, type StepCancellation } from '@baton/contracts';

/** Edge validation of `baton.step-cancellations` records (written by the engine). */
export function decodeCancellation(value: string | null): Decoded<StepCancellation> {
  return decodeMessage(StepCancellationDto, value);
}

/**
 * The attempts cancelled recently, so a task still queued when its
 * cancellation went by (the engine also cancels `ready` steps) is skipped
 * instead of run for nothing. Bounded: the oldest keys are forgotten first;
 * forgetting one only costs a useless run whose reports the engine refuses.
 */
export class RecentlyCancelled {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}
