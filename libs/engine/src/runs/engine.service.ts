import { randomUUID } from 'node:crypto';
import type { BatonLogger } from '@baton/observability';
import { DEFAULT_RUN_LIMITS, type RunLimits, type RunState } from '@baton/domain';
import { coreTopics, stepTasksTopic, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog, Producer } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import type { EngineMetrics } from '../engine.metrics';
import { KeyedStateProcessor, type WriterHealthSource } from '../writer/keyed-state-processor';
import { processCommands, type ProcessedBatch } from './process-commands';
import { decodeRunState } from './run-state.codec';
import { TimerSchedule } from './timer-schedule';

export interface EngineOptions {
  readonly topics: TopicLayout;
  /** Consumer group of the run-commands topic; one per Baton installation. */
  readonly groupId?: string;
  /** Lease executors hold per attempt. Default 30 s. */
  readonly leaseMs?: number;
  /** Longest sleep of the timer loop, so clock jumps are noticed. Default 1 s. */
  readonly maxTimerSleepMs?: number;
  /** CloudEvents `source`. */
  readonly source?: string;
  readonly limits?: RunLimits;
}

interface TimedBatch extends ProcessedBatch {
  readonly endTimer: () => void;
}

/**
 * The engine: the single writer of run state (BRIEF points 1-3, 5), a
 * `KeyedStateProcessor` over `baton.run-commands` (keyed by run id) with its
 * snapshots in the compacted `baton.run-state`. Each batch of commands is
 * decided by the pure decider and written in one transaction: events, status
 * events, step tasks, cancellations, child-run starts, new state snapshots and
 * the input offset.
 *
 * Durable timers live in run state; the timer loop only writes `FireTimer`
 * commands for due ones back into the log, so they are decided like any other
 * command (and a duplicate fire is refused).
 */
export class EngineService {
  private readonly partitionOfRun = new Map<string, number>();
  private readonly timers = new TimerSchedule();
  private readonly knownPools = new Set<string>(['default']);
  private readonly processor: KeyedStateProcessor<RunState, TimedBatch>;
  private producer: Producer | null = null;
  /** Read once at start: records are checked against the partition their key routes to. */
  private commandPartitions: number | undefined;
  private timerHandle: NodeJS.Timeout | null = null;
  private timerAt: number | null = null;
  private firing = false;
  private stopped = false;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly metrics: EngineMetrics,
    private readonly logger: BatonLogger,
    private readonly options: EngineOptions,
  ) {
    const ctx = {
      leaseMs: options.leaseMs ?? 30_000,
      source: options.source ?? 'baton/engine',
      limits: options.limits ?? DEFAULT_RUN_LIMITS,
    };
    this.processor = new KeyedStateProcessor<RunState, TimedBatch>(log, clock, logger, {
      name: 'Engine',
      keysAre: 'runs',
      groupId: options.groupId ?? 'baton-engine',
      inputTopic: Topics.runCommands,
      stateTopic: Topics.runState,
      decodeState: decodeRunState,
      process: (states, records, now) => {
        const endTimer = this.metrics.batchSeconds.startTimer();
        const commandPartitions = this.commandPartitions;
        return { ...processCommands(states, records, { ...ctx, now, commandPartitions }), endTimer };
      },
      beforeCommit: (result) => this.ensurePools(result.pools),
      onAdopted: (runId, state, partition) => {
        this.partitionOfRun.set(runId, partition);
        this.timers.track(runId, state);
      },
      onCommitted: (result) => this.committed(result),
      onReleased: (runIds) => {
        for (const runId of runIds) {
          this.partitionOfRun.delete(runId);
          this.timers.forget(runId);
        }
      },
      // Restored runs' timers (lease expiry, retry backoff, sleep, timeouts) are armed at once, not at the next commit.
      onRestored: () => this.armTimer(),
    });
    metrics.countOwnedRunsWith(() => this.partitionOfRun.size);
  }

  /** The single writer's partitions, for readiness and metrics (`WriterHealth`). */
  get writer(): WriterHealthSource {
    return this.processor;
  }

  async start(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.options.topics));
    this.commandPartitions = await this.log.partitionCount(Topics.runCommands);
    this.producer = await this.log.producer();
    await this.processor.start();
    this.armTimer();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.processor.stop();
    await this.producer?.close();
  }

  /** Runs owned right now (for metrics and tests). */
  get runsOwned(): number {
    return this.partitionOfRun.size;
  }

  /** A batch's metrics count once its commit succeeded. */
  private committed(result: TimedBatch): void {
    result.endTimer();
    const { commands, events, rejected, deadLetters, forgottenRun, refusedReports } = result.counts;
    const rerouted = refusedReports.wrong_partition ?? 0;
    this.metrics.commands.inc(
      { outcome: 'accepted' },
      commands - rejected - deadLetters - forgottenRun - rerouted,
    );
    for (const [reason, count] of Object.entries(refusedReports))
      this.metrics.rejectedReports.inc({ reason }, count);
    if (rejected > 0) this.metrics.commands.inc({ outcome: 'rejected' }, rejected);
    if (forgottenRun > 0) this.metrics.commands.inc({ outcome: 'forgotten_run' }, forgottenRun);
    if (deadLetters > 0) this.metrics.commands.inc({ outcome: 'dead_letter' }, deadLetters);
    this.metrics.events.inc(events);
    this.armTimer();
  }

  /** Pool topics appear with the first task for a pool (Kafka refuses writes to missing topics). */
  private async ensurePools(pools: ReadonlySet<string>): Promise<void> {
    const missing = [...pools].filter((pool) => !this.knownPools.has(pool));
    if (missing.length === 0) return;
    await this.log.ensureTopics(
      missing.map((pool) => ({ name: stepTasksTopic(pool), partitions: this.options.topics.runPartitions })),
    );
    for (const pool of missing) this.knownPools.add(pool);
  }

  private armTimer(): void {
    if (this.stopped || this.firing) return;
    const wakeAt = this.timers.nextWakeAt();
    if (wakeAt === null) return this.clearTimer();
    const now = this.clock.now();
    const at = Math.min(wakeAt, now + (this.options.maxTimerSleepMs ?? 1_000));
    if (this.timerHandle && this.timerAt !== null && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timerHandle = setTimeout(() => void this.fireDue(), Math.max(0, at - now));
  }

  private clearTimer(): void {
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = null;
    this.timerAt = null;
  }

  private async fireDue(): Promise<void> {
    this.timerHandle = null;
    this.timerAt = null;
    if (this.stopped || !this.producer) return;
    this.firing = true;
    try {
      const stateOf = (runId: string) => this.processor.stateOf(runId, this.partitionOfRun.get(runId) ?? -1);
      const due = this.timers.takeDue(this.clock.now(), stateOf, randomUUID);
      if (due.length > 0) {
        await this.producer.send(
          due.map((command) => ({
            topic: Topics.runCommands,
            key: command.runId,
            value: JSON.stringify(command),
          })),
        );
        this.metrics.timersFired.inc(due.length);
      }
    } catch (error) {
      // The timers stay in flight and are fired again after the refire delay.
      this.logger.error('could not write due timers', { err: error });
    } finally {
      this.firing = false;
      this.armTimer();
    }
  }
}
