import { Counter, Gauge, type Registry } from 'prom-client';

/** The workflow queue's Prometheus metrics (names: `baton_workflow_queue_*`). */
export class WorkflowQueueMetrics {
  readonly commands: Counter<'outcome'>;
  readonly runs: Counter<'decision'>;
  readonly waitingRuns: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.commands = new Counter({
      name: 'baton_workflow_queue_commands_total',
      help: 'Workflow commands handled, by outcome (accepted, rejected, dead_letter).',
      labelNames: ['outcome'],
      registers,
    });
    this.runs = new Counter({
      name: 'baton_workflow_queue_runs_total',
      help: 'Run requests decided by the workflow queue, by decision (admitted, queued, dropped, stopped: a running run a newer last_only request stopped); a queued run counts again when admitted.',
      labelNames: ['decision'],
      registers,
    });
    this.waitingRuns = new Gauge({
      name: 'baton_workflow_queue_waiting_runs',
      help: 'Runs waiting in the queues of the workflows this process owns.',
      registers,
    });
  }
}
