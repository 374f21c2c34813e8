import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** How an attempt ended, as counted by `baton_executor_attempts_total{outcome}`. */
export type AttemptOutcomeLabel =
  | 'succeeded'
  | 'user_error'
  | 'platform_error'
  | 'timeout'
  | 'cancelled'
  | 'lease_lost'
  | 'shutdown'
  /** The engine refused the start (a redelivered task, an ended run): not run, or stopped and its result dropped. */
  | 'refused'
  /** A start that had to be confirmed got no answer in time: not run (the lease lapses and the engine retries). */
  | 'unconfirmed'
  /** Refused at the edge (dead-lettered), never run. */
  | 'invalid';

/**
 * The executor pool's Prometheus metrics (`baton_executor_*`, base units),
 * labelled by pool. Several pools (or several members of one pool, in tests
 * and the all-in-one process) share one registry, so each metric is created
 * once per registry and reused; the busy-slots gauge is moved by deltas so
 * members add up instead of overwriting each other.
 */
export class ExecutorPoolMetrics {
  readonly slotsBusy: Gauge<'pool'>;
  readonly attempts: Counter<'pool' | 'outcome'>;
  readonly attemptSeconds: Histogram<'pool'>;
  readonly taskWaitSeconds: Histogram<'pool'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
    this.slotsBusy =
      existing<Gauge<'pool'>>('baton_executor_slots_busy') ??
      new Gauge({
        name: 'baton_executor_slots_busy',
        help: 'Attempts running now (each holds one slot).',
        labelNames: ['pool'],
        registers,
      });
    this.attempts =
      existing<Counter<'pool' | 'outcome'>>('baton_executor_attempts_total') ??
      new Counter({
        name: 'baton_executor_attempts_total',
        help: 'Step attempts taken by this executor, by how they ended.',
        labelNames: ['pool', 'outcome'],
        registers,
      });
    this.attemptSeconds =
      existing<Histogram<'pool'>>('baton_executor_attempt_duration_seconds') ??
      new Histogram({
        name: 'baton_executor_attempt_duration_seconds',
        help: 'Time from an attempt taking a slot to its outcome.',
        labelNames: ['pool'],
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400],
        registers,
      });
    this.taskWaitSeconds =
      existing<Histogram<'pool'>>('baton_executor_task_wait_seconds') ??
      new Histogram({
        name: 'baton_executor_task_wait_seconds',
        help: 'Time from a task being published to an attempt starting on it (queueing and slot wait).',
        labelNames: ['pool'],
        buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
        registers,
      });
  }
}
