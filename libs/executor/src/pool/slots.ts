/** Why `Slots.acquire` gave up without a slot. */
export class SlotWaitEnded extends Error {
  constructor(readonly reason: 'timeout' | 'aborted') {
    super(reason === 'timeout' ? 'no free slot within the wait limit' : 'slot wait aborted');
    this.name = 'SlotWaitEnded';
  }
}

/** A held slot; `release()` is idempotent. */
export interface Slot {
  release(): void;
}

interface Waiter {
  readonly grant: (slot: Slot) => void;
  readonly fail: (error: SlotWaitEnded) => void;
}

/**
 * A counting semaphore with a FIFO queue: at most `size` slots are held at
 * once, and waiters are served in arrival order (the batch handlers of all
 * partitions wait on the same slots, so none starves).
 *
 * Invariant: `busy <= size`, and a waiter is queued only while `busy === size`.
 *
 * @example
 *   const slot = await slots.acquire(5_000, stopSignal);
 *   try { await work(); } finally { slot.release(); }
 */
export class Slots {
  private held = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly size: number,
    private readonly onChange: (busy: number) => void = () => undefined,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots must be a positive integer, got ${size}`);
  }

  get busy(): number {
    return this.held;
  }

  /**
   * Resolves with a slot as soon as one is free; rejects with `SlotWaitEnded`
   * after `waitMs` (`Infinity`: never) or when `signal` aborts.
   */
  acquire(waitMs: number, signal?: AbortSignal): Promise<Slot> {
    if (signal?.aborted) return Promise.reject(new SlotWaitEnded('aborted'));
    if (this.held < this.size) return Promise.resolve(this.take());
    return new Promise<Slot>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (slot) => {
          settle();
          resolve(slot);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.fail(new SlotWaitEnded('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(waitMs))
        timer = setTimeout(() => waiter.fail(new SlotWaitEnded('timeout')), waitMs);
      this.waiters.push(waiter);
    });
  }

  private take(): Slot {
    this.held += 1;
    this.onChange(this.held);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters[0];
        if (next) {
          // Hand the slot over directly: `held` stays the same, so no newcomer can overtake the queue.
          this.held -= 1;
          next.grant(this.take());
          return;
        }
        this.held -= 1;
        this.onChange(this.held);
      },
    };
  }
}
