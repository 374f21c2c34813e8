import { BoundedLabel } from '@baton/observability';
import type { Clock } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { Counter, Histogram, type Registry } from 'prom-client';
import { readModelGauge } from './read-model-gauge';
import type { RunFact } from './run-facts';

const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];
/** How far past its timeout a running run counts as overdue: the engine's timer fires within a batch or two. */
const OVERDUE_GRACE_MS = 60_000;
const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];

/**
 * Per-workflow run and step metrics (`baton_workflow_*`), labelled by
 * workflow id through a `BoundedLabel` (beyond its cap: `other`). The run
 * projector feeds them facts from events it has just applied and committed,
 * so in Kafka mode every fact is counted once across the projector group;
 * a projector restart starts the counters over (a counter reset, which
 * `rate()` handles). The gauges of running and overdue runs are read from
 * the read model at each scrape (`readModelGauge`).
 */
export class WorkflowMetrics {
  private readonly workflow = new BoundedLabel();
  private readonly runsStarted: Counter<'workflow'>;
  private readonly runsFinished: Counter<'workflow' | 'status'>;
  private readonly runSeconds: Histogram<'workflow' | 'status'>;
  private readonly stepSeconds: Histogram<'workflow' | 'status'>;

  constructor(registry: Registry, sql: SqlClient, clock: Clock) {
    const registers = [registry];
    readModelGauge(registry, sql, {
      name: 'baton_workflow_runs_running',
      help: 'Runs running now (not ended; paused and stopping included), by workflow id, as projected.',
      sql: "SELECT workflow_id, count(*) AS value FROM runs WHERE status = 'running' GROUP BY workflow_id",
    });
    readModelGauge(registry, sql, {
      name: 'baton_workflow_runs_overdue',
      help:
        'Running runs more than a minute past their own timeout, by workflow id: the engine should have ended ' +
        'them, so no one is deciding for their partition (a stuck run).',
      sql:
        "SELECT workflow_id, count(*) AS value FROM runs WHERE status = 'running' " +
        'AND timeout_at < to_timestamp($1::double precision / 1000) GROUP BY workflow_id',
      params: () => [clock.now() - OVERDUE_GRACE_MS],
    });
    this.runsStarted = new Counter({
      name: 'baton_workflow_runs_started_total',
      help: 'Runs started (RunStarted projected), by workflow id.',
      labelNames: ['workflow'],
      registers,
    });
    this.runsFinished = new Counter({
      name: 'baton_workflow_runs_finished_total',
      help: 'Runs that ended, by workflow id and status (succeeded, failed, cancelled); a restarted run counts again when it ends again.',
      labelNames: ['workflow', 'status'],
      registers,
    });
    this.runSeconds = new Histogram({
      name: 'baton_workflow_run_duration_seconds',
      help: 'From RunStarted to the run end, by workflow id and status; restarted runs are not observed.',
      labelNames: ['workflow', 'status'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.stepSeconds = new Histogram({
      name: 'baton_workflow_step_duration_seconds',
      help: 'One step attempt, from its start to its end, by workflow id and status (succeeded, failed, timed_out).',
      labelNames: ['workflow', 'status'],
      buckets: STEP_BUCKETS,
      registers,
    });
  }

  record(facts: readonly RunFact[]): void {
    for (const fact of facts) {
      const workflow = this.workflow.of(fact.workflowId);
      switch (fact.kind) {
        case 'run_started':
          this.runsStarted.inc({ workflow });
          break;
        case 'run_finished':
          this.runsFinished.inc({ workflow, status: fact.status });
          if (fact.seconds !== null) this.runSeconds.observe({ workflow, status: fact.status }, fact.seconds);
          break;
        case 'step_finished':
          this.stepSeconds.observe({ workflow, status: fact.status }, fact.seconds);
          break;
        default:
          assertNever(fact);
      }
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled fact: ${JSON.stringify(value)}`);
}
