import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The engine's Prometheus metrics (names: `baton_engine_*`, base units). */
export class EngineMetrics {
  readonly commands: Counter<'outcome'>;
  readonly rejectedReports: Counter<'reason'>;
  readonly events: Counter;
  readonly batchSeconds: Histogram;
  readonly runsOwned: Gauge;
  /** The engine names where the count of owned runs comes from. */
  countOwnedRunsWith(count: () => number): void {
    this.ownedRuns = count;
  }

  readonly timersFired: Counter;
  readonly runsAdmitted: Counter<'outcome'>;

  /** `runsOwned` reads this at every scrape (set by the engine); a gauge set only on commits went stale after a takeover. */
  private ownedRuns: () => number = () => 0;

  constructor(registry: Registry) {
    const registers = [registry];
    this.commands = new Counter({
      name: 'baton_engine_commands_total',
      help: 'Run commands handled, by outcome (accepted, rejected, dead_letter, forgotten_run: for a child run that ended).',
      labelNames: ['outcome'],
      registers,
    });
    this.rejectedReports = new Counter({
      name: 'baton_engine_rejected_reports_total',
      help: 'Records on baton.run-commands not decided where they arrived, by reason: wrong_partition (not routed by murmur2 of the key; written again to its partition), invalid (a dead letter; recorded on its run as CommandRejected/InvalidCommand when it names one), key_mismatch (key is not the run id; a dead letter).',
      labelNames: ['reason'],
      registers,
    });
    this.events = new Counter({ name: 'baton_engine_events_total', help: 'Run events written.', registers });
    this.batchSeconds = new Histogram({
      name: 'baton_engine_batch_duration_seconds',
      help: 'Time to decide a batch of commands and commit its transaction.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const ownedRuns = () => this.ownedRuns();
    this.runsOwned = new Gauge({
      name: 'baton_engine_runs_owned',
      help: 'Runs in the partitions this engine owns.',
      registers,
      collect() {
        this.set(ownedRuns());
      },
    });
    this.timersFired = new Counter({
      name: 'baton_engine_timers_fired_total',
      help: 'FireTimer commands written for due timers.',
      registers,
    });
    this.runsAdmitted = new Counter({
      name: 'baton_engine_run_requests_total',
      help: 'Run requests handled, by outcome (admitted, dead_letter).',
      labelNames: ['outcome'],
      registers,
    });
  }
}
