import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { RunState } from '@baton/domain';
import { coreTopics, stepTasksTopic, Topics, type TopicLayout } from '@baton/contracts';
import type {
  Batch,
  Consumer,
  EventLog,
  Producer,
  TopicPartition,
  TransactionalProducer,
} from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import type { EngineMetrics } from './engine.metrics';
import { processCommands } from './process-commands';
import { restoreStates } from './restore-states';
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
}

interface OwnedPartition {
  readonly producer: TransactionalProducer;
  readonly states: Map<string, RunState>;
}

/**
 * The engine: the single writer of run state (BRIEF points 1-3, 5).
 *
 * It is a member of one consumer group over `baton.run-commands` (keyed by run
 * id). For each partition it gains, it opens the transactional id
 * `<group>.<partition>` (fencing a previous owner that may still be alive) and
 * restores the runs' states from the same partition of the compacted
 * `baton.run-state`. Each batch of commands is decided by the pure decider and
 * written in one transaction: events, status events, step tasks, cancellations,
 * new state snapshots and the input offset. The in-memory states are adopted
 * only after the commit, so a crash or a fence at any instant leaves either
 * everything or nothing.
 *
 * Durable timers live in run state; the timer loop only writes `FireTimer`
 * commands for due ones back into the log, so they are decided like any other
 * command (and a duplicate fire is refused).
 */
export class EngineService {
  private readonly owned = new Map<number, OwnedPartition>();
  private readonly partitionOfRun = new Map<string, number>();
  private readonly timers = new TimerSchedule();
  private readonly knownPools = new Set<string>(['default']);
  private readonly groupId: string;
  private readonly leaseMs: number;
  private readonly source: string;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private timerHandle: NodeJS.Timeout | null = null;
  private timerAt: number | null = null;
  private firing = false;
  private stopped = false;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly metrics: EngineMetrics,
    private readonly logger: LoggerService,
    private readonly options: EngineOptions,
  ) {
    this.groupId = options.groupId ?? 'baton-engine';
    this.leaseMs = options.leaseMs ?? 30_000;
    this.source = options.source ?? 'baton/engine';
  }

  async start(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.options.topics));
    this.producer = await this.log.producer();
    this.consumer = this.log.consumer({
      groupId: this.groupId,
      topics: [Topics.runCommands],
      onAssigned: (partitions) => this.assign(partitions),
      onRevoked: (partitions) => this.revoke(partitions),
      eachBatch: (batch) => this.handle(batch),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.consumer?.stop();
    await this.producer?.close();
  }

  /** Runs owned right now (for metrics and tests). */
  get runsOwned(): number {
    return this.partitionOfRun.size;
  }

  private async assign(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      const producer = await this.log.transactionalProducer(`${this.groupId}.${partition}`);
      const states = await restoreStates(this.log, partition);
      this.owned.set(partition, { producer, states });
      for (const [runId, state] of states) {
        this.partitionOfRun.set(runId, partition);
        this.timers.track(runId, state);
      }
      this.logger.log(`owns partition ${partition} with ${states.size} runs`, 'Engine');
    }
    this.metrics.runsOwned.set(this.partitionOfRun.size);
    this.armTimer();
  }

  private async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      const owned = this.owned.get(partition);
      if (!owned) continue;
      this.owned.delete(partition);
      for (const runId of owned.states.keys()) {
        this.partitionOfRun.delete(runId);
        this.timers.forget(runId);
      }
      await owned.producer.close();
      this.logger.log(`released partition ${partition}`, 'Engine');
    }
    this.metrics.runsOwned.set(this.partitionOfRun.size);
  }

  private async handle(batch: Batch): Promise<void> {
    const owned = this.owned.get(batch.partition);
    if (!owned) throw new Error(`batch for partition ${batch.partition}, which this engine does not own`);
    const endTimer = this.metrics.batchSeconds.startTimer();
    const result = processCommands(owned.states, batch.records, {
      now: this.clock.now(),
      leaseMs: this.leaseMs,
      source: this.source,
    });
    await this.ensurePools(result.pools);
    const next = batch.records[batch.records.length - 1].offset + 1;
    await owned.producer.commit({
      records: result.records,
      offsets: { groupId: this.groupId, topic: batch.topic, partition: batch.partition, offset: next },
    });
    for (const [runId, state] of result.changed) {
      owned.states.set(runId, state);
      this.partitionOfRun.set(runId, batch.partition);
      this.timers.track(runId, state);
    }
    endTimer();
    const { commands, events, rejected, deadLetters } = result.counts;
    this.metrics.commands.inc({ outcome: 'accepted' }, commands - rejected - deadLetters);
    if (rejected > 0) this.metrics.commands.inc({ outcome: 'rejected' }, rejected);
    if (deadLetters > 0) this.metrics.commands.inc({ outcome: 'dead_letter' }, deadLetters);
    this.metrics.events.inc(events);
    this.metrics.runsOwned.set(this.partitionOfRun.size);
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
      const stateOf = (runId: string) =>
        this.owned.get(this.partitionOfRun.get(runId) ?? -1)?.states.get(runId);
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
      this.logger.error(`could not write due timers: ${(error as Error).message}`, undefined, 'Engine');
    } finally {
      this.firing = false;
      this.armTimer();
    }
  }
}
