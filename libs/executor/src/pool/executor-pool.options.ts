import type { TopicLayout } from '@baton/contracts';

export interface ExecutorPoolOptions {
  /** The pool this executor serves: it consumes `baton.step-tasks.<pool>`. */
  readonly pool: string;
  /** Attempts run at once, at most. */
  readonly slots: number;
  /** Names this executor in reports and leases; unique per process (two members must never share one). */
  readonly executorId: string;
  /**
   * Longest heartbeat period. The lease itself is the engine's (`StepTask.leaseMs`,
   * asked for in `ReportStepStarted`); an attempt heartbeats every third of it,
   * or every `heartbeatMs` if that is shorter (the engine extends only below half).
   */
  readonly heartbeatMs?: number;
  /** On `stop()`, how long running attempts may still run before they are aborted. Default 30 000 ms. */
  readonly stopGraceMs?: number;
  /**
   * Longest a batch handler waits for a free slot before giving its partition
   * back (re-delivered from the committed offset after the log's back-off).
   * Keeps a saturated member from holding up a group rebalance (Kafka's
   * rebalance timeout is 20 s in Baton). Default 5 000 ms; `Infinity` waits forever.
   */
  readonly slotWaitMs?: number;
  /**
   * A task appended longer ago than this is started with `confirm` and run
   * only once the engine grants it (it may be a re-read after lost offsets).
   * Default 30 000 ms.
   */
  readonly confirmAfterMs?: number;
  /**
   * Longest wait for the engine's answer to a start sent with `confirm`;
   * without one the task is left unrun (if the engine did accept it, the
   * lease lapses and the step is retried). The engine answers as soon as it
   * processes the start, so this only has to outlast an engine takeover.
   * Default 60 000 ms.
   */
  readonly confirmWaitMs?: number;
  /** When given, missing topics are created on start (a pool may start before the engine sent it anything). */
  readonly topics?: TopicLayout;
}

/**
 * The lease asked for when a dead-lettered task is started only to be failed
 * at once (its own lease is unreadable); it never has to be kept.
 */
export const REFUSAL_LEASE_MS = 30_000;

/** How often an attempt holding a lease of `leaseMs` heartbeats: a third of it, at most `longest`. */
export function heartbeatPeriod(leaseMs: number, longest = Infinity): number {
  return Math.max(1, Math.min(longest, Math.floor(leaseMs / 3)));
}

export function checkOptions(options: ExecutorPoolOptions): void {
  if (!/^[a-zA-Z0-9._-]+$/.test(options.pool)) {
    throw new Error(`pool must be a topic-safe name ([a-zA-Z0-9._-]), got '${options.pool}'`);
  }
  if (options.executorId.length === 0 || options.executorId.length > 200) {
    throw new Error('executorId must be 1 to 200 characters');
  }
  const { heartbeatMs } = options;
  if (heartbeatMs !== undefined && !(heartbeatMs > 0)) {
    throw new Error(`heartbeatMs must be positive, got ${heartbeatMs}`);
  }
}

/** Whether `promise` settles within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
