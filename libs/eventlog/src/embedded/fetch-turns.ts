/**
 * Gives the event loop back to Node (sockets, timers) while partition
 * fetchers have work.
 *
 * Why: an embedded consumer's handler resolves without real I/O (a write is a
 * synchronous `write`), so fetch, handle, append and the next fetch chain as
 * microtasks, and a busy log would never let Node serve a socket. Every
 * fetcher asks `turn()` before each fetch. The first ask opens a slice that
 * ends at the next macrotask turn (one `setImmediate`); once the slice is
 * older than `sliceMs`, every fetcher that asks waits for that same turn, so
 * the microtask chains drain, Node handles I/O, and all resume together. A
 * slice whose work ends sooner costs nothing but the one `setImmediate`.
 */
export class FetchTurns {
  private slice: { readonly startedAt: number; readonly ended: Promise<void> } | undefined;

  constructor(
    private readonly sliceMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Undefined to fetch now; else a promise to wait for before fetching. */
  turn(): Promise<void> | undefined {
    const now = this.now();
    if (!this.slice) {
      const ended = new Promise<void>((resolve) =>
        setImmediate(() => {
          this.slice = undefined;
          resolve();
        }),
      );
      this.slice = { startedAt: now, ended };
      return undefined;
    }
    return now - this.slice.startedAt >= this.sliceMs ? this.slice.ended : undefined;
  }
}
