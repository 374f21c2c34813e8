import type { BatonLogger } from '@baton/observability';
import {
  celSignalExpressions,
  type SignalExpressionEvaluator,
  type SignalRetention,
} from '@baton/domain/signals';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog, LogRecord } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import { KeyedStateProcessor, type WriterHealthSource } from '../writer/keyed-state-processor';
import type { TriggerCatalog } from '../triggers/trigger-catalog';
import {
  isJoinState,
  routeSignals,
  signalRouterStateFromJson,
  type RoutedSignals,
  type SignalRouterState,
} from './route-signals';
import type { SignalRouterMetrics } from './signal-router.metrics';

export interface SignalRouterOptions {
  readonly topics: TopicLayout;
  /** Consumer group of `baton.signals`; one per Baton installation. */
  readonly groupId?: string;
  /** Evaluates signal triggers' params; CEL unless a test pins it. */
  readonly expressions?: SignalExpressionEvaluator;
  /** Signals kept per name for waits that open later; `DEFAULT_SIGNAL_RETENTION` when absent. */
  readonly retention?: SignalRetention;
}

/** True for every SignalSent (its JSON holds the type name); a few other records too, which only costs a read. */
function mayBeSignalSent(record: LogRecord): boolean {
  return record.value !== null && record.value.includes('SignalSent');
}

type TimedBatch = RoutedSignals & { readonly endTimer: () => void };

/**
 * The signal router: the single writer of each signal name's open waits
 * (a `KeyedStateProcessor` over `baton.signals`, keyed by signal name, with
 * its snapshots in the compacted `baton.signal-state`). Each batch's
 * deliveries, triggered run requests, dead letters, snapshots and input
 * offset are one transaction, so a signal is routed exactly once even across
 * crashes and rebalances.
 *
 * Signal triggers come from the shared `TriggerCatalog`, read again before
 * each batch holding a signal; it must be started first (the router does not
 * start it, the cron scheduler reads it too).
 */
export class SignalRouterService {
  private readonly processor: KeyedStateProcessor<SignalRouterState, TimedBatch>;
  /** Open waits and kept signals (stored, or pending in a join) per key of the owned partitions. */
  private readonly heldByKey = new Map<string, { waits: number; signals: number }>();

  constructor(
    private readonly log: EventLog,
    clock: Clock,
    catalog: TriggerCatalog,
    private readonly metrics: SignalRouterMetrics,
    logger: BatonLogger,
    private readonly options: SignalRouterOptions,
  ) {
    const expressions = options.expressions ?? celSignalExpressions;
    this.processor = new KeyedStateProcessor<SignalRouterState, TimedBatch>(log, clock, logger, {
      name: 'SignalRouter',
      keysAre: 'signal names',
      groupId: options.groupId ?? 'baton-signal-router',
      inputTopic: Topics.signals,
      stateTopic: Topics.signalState,
      decodeState: signalRouterStateFromJson,
      // The catalog refreshes every few seconds; a signal sent right after a
      // push would otherwise meet the list from before it, and the trigger
      // would miss it for good. Reading the registry again before a batch
      // with a signal in it closes that window: the signal was appended after
      // the push's acknowledgement, which was after its registry commit. A
      // registry that cannot be read fails the batch (delivered again later)
      // rather than route against a list that may be stale.
      beforeProcess: async (records) => {
        if (records.some(mayBeSignalSent)) await catalog.readAfter();
      },
      process: (states, records, now) => {
        const endTimer = this.metrics.batchSeconds.startTimer();
        return {
          ...routeSignals(states, records, {
            now,
            triggers: catalog.signalTriggers(),
            expressions,
            ...(options.retention === undefined ? {} : { retention: options.retention }),
          }),
          endTimer,
        };
      },
      onAdopted: (name, state) => {
        this.heldByKey.set(
          name,
          isJoinState(state)
            ? { waits: 0, signals: state.pending.length }
            : { waits: Object.keys(state.waits).length, signals: state.stored.length },
        );
      },
      onCommitted: (result) => {
        result.endTimer();
        this.metrics.count(result.counts);
        this.updateGauges();
      },
      onReleased: (names) => {
        for (const name of names) this.heldByKey.delete(name);
        this.updateGauges();
      },
    });
  }

  /** The single writer's partitions, for readiness and metrics (`WriterHealth`). */
  get writer(): WriterHealthSource {
    return this.processor;
  }

  async start(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.options.topics));
    await this.processor.start();
    this.updateGauges();
  }

  async stop(): Promise<void> {
    await this.processor.stop();
  }

  private updateGauges(): void {
    let open = 0;
    let kept = 0;
    for (const { waits, signals } of this.heldByKey.values()) {
      open += waits;
      kept += signals;
    }
    this.metrics.waitsOpen.set(open);
    this.metrics.signalsKept.set(kept);
  }
}
