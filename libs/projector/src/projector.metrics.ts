import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The projector's Prometheus metrics (names: `baton_projector_*`, base units). */
export class ProjectorMetrics {
  readonly events: Counter<'outcome'>;
  readonly stepLogs: Counter;
  readonly deadLetters: Counter;
  readonly batchSeconds: Histogram;
  readonly lagSeconds: Gauge;
  readonly failedBatches: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = new Counter({
      name: 'baton_projector_events_total',
      help: 'Run events consumed, by outcome (applied, duplicate, without_run, dead_letter).',
      labelNames: ['outcome'],
      registers,
    });
    this.stepLogs = new Counter({
      name: 'baton_projector_step_logs_total',
      help: 'Step log records upserted into step_logs.',
      registers,
    });
    this.deadLetters = new Counter({
      name: 'baton_projector_dead_letters_total',
      help: 'Records the projector could not decode, forwarded to the dead-letter topic.',
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'baton_projector_batch_duration_seconds',
      help: 'Time to project one batch: decode, SQL transaction, offset commit.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'baton_projector_lag_seconds',
      help: 'Now minus the `at` of the last projected run event.',
      registers,
    });
    this.failedBatches = new Counter({
      name: 'baton_projector_failed_batches_total',
      help: 'Batches whose projection failed and will be re-delivered.',
      registers,
    });
  }
}
