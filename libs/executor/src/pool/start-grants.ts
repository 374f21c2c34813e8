import { decodeMessage, StepStartGrantedDto, type Decoded, type StepStartGranted } from '@baton/contracts';

/** Edge validation of `baton.step-grants` records (written by the engine). */
export function decodeGrant(value: string | null): Decoded<StepStartGranted> {
  return decodeMessage(StepStartGrantedDto, value);
}

/** What the engine answered a `ReportStepStarted{confirm}`; `unanswered` after the wait ran out. */
export type StartVerdict = 'granted' | 'refused' | 'unanswered';

/**
 * The starts this executor is waiting to have confirmed, by attempt key.
 * `expect` must be called before the `ReportStepStarted` is sent, so a grant
 * that comes back faster than the send's acknowledgement is not missed.
 */
export class PendingStarts {
  private readonly waiting = new Map<string, (verdict: StartVerdict) => void>();

  expect(key: string, timeoutMs: number): Promise<StartVerdict> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(key, 'unanswered'), timeoutMs);
      this.waiting.set(key, (verdict) => {
        clearTimeout(timer);
        resolve(verdict);
      });
    });
  }

  /** Settles the wait for `key`, if any; later answers for it are ignored. */
  answer(key: string, verdict: StartVerdict): void {
    const settle = this.waiting.get(key);
    if (!settle) return;
    this.waiting.delete(key);
    settle(verdict);
  }
}
