import { Counter, type Registry } from 'prom-client';

/** Metrics of the trigger catalog and the cron scheduler (names: `baton_cron_*`, `baton_trigger_*`). */
export class TriggerMetrics {
  readonly cronRunsRequested: Counter;
  readonly cronTriggerErrors: Counter;
  readonly cronPublishFailures: Counter;
  readonly catalogRefreshFailures: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.cronRunsRequested = new Counter({
      name: 'baton_cron_run_requests_total',
      help: 'Run requests published for cron ticks (every scheduler publishes each tick; the run id dedupes).',
      registers,
    });
    this.cronTriggerErrors = new Counter({
      name: 'baton_cron_trigger_errors_total',
      help: 'Scheduler rounds that skipped a cron trigger whose schedule or time zone is invalid.',
      registers,
    });
    this.cronPublishFailures = new Counter({
      name: 'baton_cron_publish_failures_total',
      help: 'Scheduler rounds whose run requests could not be written (retried next round).',
      registers,
    });
    this.catalogRefreshFailures = new Counter({
      name: 'baton_trigger_catalog_refresh_failures_total',
      help: 'Failed reads of the active triggers from the registry (the previous list is kept).',
      registers,
    });
  }
}
