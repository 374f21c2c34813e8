import type { SqlClient } from '@baton/sql';
import { Counter, type Gauge, Histogram, type Registry } from 'prom-client';
import { readModelGauge } from '../read-model-gauge';

/** The workflow queue projector's Prometheus metrics (names: `baton_workflow_queue_projector_*`, base units). */
export class WorkflowQueueProjectorMetrics {
  readonly events: Counter<'outcome'>;
  readonly batchSeconds: Histogram;
  readonly failedBatches: Counter;
  readonly queuedRuns: Gauge<'workflow'>;

  /** `sql` answers the queue depth at each scrape: the read model is the one place every workflow's queue is. */
  constructor(registry: Registry, sql: SqlClient) {
    const registers = [registry];
    this.events = new Counter({
      name: 'baton_workflow_queue_projector_events_total',
      help: 'Workflow queue events consumed, by outcome (applied, duplicate, dead_letter).',
      labelNames: ['outcome'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'baton_workflow_queue_projector_batch_duration_seconds',
      help: 'Time to project one batch of workflow queue events: decode, SQL transaction, offset commit.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.failedBatches = new Counter({
      name: 'baton_workflow_queue_projector_failed_batches_total',
      help: 'Batches of workflow queue events whose projection failed and will be re-delivered.',
      registers,
    });
    this.queuedRuns = readModelGauge(registry, sql, {
      name: 'baton_workflow_queued_runs',
      help: "Runs waiting in a workflow's queue (its run strategy holds them), by workflow id, as projected.",
      sql: 'SELECT workflow_id, count(*) AS value FROM workflow_queue_runs GROUP BY workflow_id',
    });
  }
}
