import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SignalRouteCounts } from './route-signals';

/** The signal router's Prometheus metrics (names: `baton_signal*`, base units). */
export class SignalRouterMetrics {
  readonly signals: Counter<'outcome'>;
  readonly deliveries: Counter;
  readonly storedMatches: Counter;
  readonly runsRequested: Counter;
  readonly deadLetters: Counter;
  readonly waitsOpen: Gauge;
  readonly signalsKept: Gauge;
  readonly batchSeconds: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.signals = new Counter({
      name: 'baton_signals_total',
      help: 'Signals read, by outcome (routed; duplicate: an id routed recently, so ignored).',
      labelNames: ['outcome'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'baton_signal_deliveries_total',
      help: 'DeliverSignal commands written for waiting steps.',
      registers,
    });
    this.storedMatches = new Counter({
      name: 'baton_signal_stored_matches_total',
      help: 'Waits that met a stored signal as they opened (delivered at once; part of the deliveries).',
      registers,
    });
    this.runsRequested = new Counter({
      name: 'baton_signal_triggered_runs_total',
      help: 'Run requests written for signal triggers.',
      registers,
    });
    this.deadLetters = new Counter({
      name: 'baton_signal_router_dead_letters_total',
      help: 'Records of baton.signals dead-lettered (undecodable, or a trigger whose params failed).',
      registers,
    });
    this.waitsOpen = new Gauge({
      name: 'baton_signal_waits_open',
      help: 'Open signal waits in the partitions this router owns.',
      registers,
    });
    this.signalsKept = new Gauge({
      name: 'baton_signals_kept',
      help: 'Signals kept in the partitions this router owns: stored for later waits, or pending in a join (bounded by the retention).',
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'baton_signal_router_batch_duration_seconds',
      help: 'Time to route a batch of baton.signals records and commit its transaction.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }

  /** Counts a committed batch. */
  count(counts: SignalRouteCounts): void {
    if (counts.signals > 0) this.signals.inc({ outcome: 'routed' }, counts.signals);
    if (counts.duplicates > 0) this.signals.inc({ outcome: 'duplicate' }, counts.duplicates);
    this.deliveries.inc(counts.deliveries);
    this.storedMatches.inc(counts.storedMatches);
    this.runsRequested.inc(counts.runsRequested);
    this.deadLetters.inc(counts.deadLetters);
  }
}
