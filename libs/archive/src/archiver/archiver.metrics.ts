import { Counter, Histogram, type Registry } from 'prom-client';

/** The archiver's Prometheus metrics (names: `baton_archiver_*`, base units). */
export class ArchiverMetrics {
  readonly events: Counter<'outcome'>;
  readonly batchSeconds: Histogram;
  readonly failedBatches: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = new Counter({
      name: 'baton_archiver_events_total',
      help: 'Run event records consumed, by outcome (appended, duplicate, dead_letter).',
      labelNames: ['outcome'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'baton_archiver_batch_duration_seconds',
      help: 'Time to archive one batch: decode, append, dead letters, offset commit.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.failedBatches = new Counter({
      name: 'baton_archiver_failed_batches_total',
      help: 'Batches whose append failed and will be re-delivered.',
      registers,
    });
  }
}
