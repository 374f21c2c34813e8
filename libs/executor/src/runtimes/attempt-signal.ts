/** Why an attempt was stopped from outside: its own timeout, or the executor's cancel. */
export type StopReason = 'timeout' | 'cancelled';

/**
 * One signal per attempt that fires on the first of: the caller's cancel
 * signal, or `timeoutMs` elapsing. `reason` tells which one won, so runtimes
 * can report `failed/timeout` vs `failed/cancelled`. Call `dispose()` when the
 * attempt ends so the timer and listener do not outlive it.
 */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private stopReason: StopReason | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onCancel = (): void => this.stop('cancelled');

  constructor(
    private readonly cancel: AbortSignal,
    timeoutMs: number | undefined,
  ) {
    if (cancel.aborted) {
      this.stop('cancelled');
    } else {
      cancel.addEventListener('abort', this.onCancel, { once: true });
    }
    if (timeoutMs !== undefined && this.stopReason === undefined) {
      this.timer = setTimeout(() => this.stop('timeout'), Math.max(0, timeoutMs));
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.cancel.removeEventListener('abort', this.onCancel);
  }

  private stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.controller.abort(new Error(reason === 'timeout' ? 'step timed out' : 'step cancelled'));
  }
}

export function stopMessage(reason: StopReason, timeoutMs: number | undefined): string {
  return reason === 'timeout' ? `step timed out after ${timeoutMs} ms` : 'step cancelled';
}
