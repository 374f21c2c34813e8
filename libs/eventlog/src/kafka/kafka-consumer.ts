import {
  AssignerProtocol,
  PartitionAssigners,
  type Admin,
  type Batch,
  type Consumer as KafkaJsConsumer,
  type EachBatchPayload,
  type Kafka,
} from 'kafkajs';
import type { Consumer, ConsumerOptions, TopicPartition } from '../event-log.port';
import { AssignmentTracker, partitionKey } from './kafka-assignment';
import { stickyAssigner } from './kafka-sticky-assigner';
import type { ResolvedKafkaOptions } from './kafka-options';
import { toLogRecord } from './kafka-records';

/** What the consumer knows about one partition during one assignment. */
interface PartitionState {
  /** Whether the first batch after assignment was checked against the freshly committed offset. */
  positionChecked: boolean;
  /** Where to go back to after a failure if the group has committed nothing yet. */
  firstFetched: number;
  failures: number;
}

/**
 * A consumer-group member over kafkajs: read-committed, no auto-commit, one
 * batch at a time (`partitionsConsumedConcurrently: 1`), so the batches of a
 * partition reach `eachBatch` one by one and in order.
 */
export class KafkaGroupConsumer implements Consumer {
  private readonly consumer: KafkaJsConsumer;
  private readonly admin: Admin;
  private readonly tracker: AssignmentTracker;
  private readonly partitions = new Map<string, PartitionState>();
  /** startFrom 'latest': the end of each newly assigned partition without a committed offset, fixed at assignment. */
  private readonly latestAtAssignment = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** Partitions paused until their `onAssigned` completes. */
  private readonly waitingReady = new Set<string>();
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions,
    private readonly config: ResolvedKafkaOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: config.heartbeatIntervalMs,
      rebalanceTimeout: config.rebalanceTimeoutMs,
      maxWaitTimeInMs: config.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      // Sticky: a rebalance moves only the partitions it must (see stickyAssignment).
      partitionAssigners: [stickyAssigner(() => this.ownedByTopic()), PartitionAssigners.roundRobin],
    });
    this.admin = kafka.admin();
    this.tracker = new AssignmentTracker(
      (partitions) => this.fixStartPositions(partitions),
      options.onAssigned,
      options.onRevoked,
      (message, error) => this.report(message, error),
      { firstMs: config.retryBackoffMs, maxMs: config.maxRetryBackoffMs },
    );
  }

  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new Error(`consumer of group ${this.options.groupId} was already started`);
    this.state = 'running';
    const { GROUP_JOIN, CRASH } = this.consumer.events;
    // Synchronous listener: kafkajs emits GROUP_JOIN between the join and the
    // next fetch, so the readiness promise of every new partition exists
    // before any of its batches can arrive.
    this.consumer.on(GROUP_JOIN, ({ payload }) => {
      this.partitions.clear();
      this.tracker.joined(payload.memberId, payload.memberAssignment);
    });
    // On a crash kafkajs leaves the group, then (for retriable errors) starts
    // over with a new member: what this member owned is revoked.
    let crash: Error | null = null;
    this.consumer.on(CRASH, ({ payload }) => {
      this.report(
        `consumer of group ${this.options.groupId} crashed (restart: ${payload.restart})`,
        payload.error,
      );
      if (!payload.restart) crash = payload.error;
      this.partitions.clear();
      void this.tracker.revokeAll();
    });
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: (this.options.startFrom ?? 'earliest') === 'earliest',
    });
    // run() resolves after the first join (or after a failed first join was handled as a crash).
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    if (crash) {
      await this.stop();
      throw crash;
    }
  }

  async commit(offsets: readonly { topic: string; partition: number; offset: number }[]): Promise<void> {
    // kafkajs silently ignores a commit when its runner is not running; say so instead.
    if (this.state !== 'running') throw new Error(`consumer of group ${this.options.groupId} is not running`);
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(
      offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: String(offset) })),
    );
  }

  assignment(): readonly TopicPartition[] {
    return this.tracker.assignment();
  }

  /** What this member owns, by topic, for the sticky assigner's JoinGroup metadata. */
  private ownedByTopic(): Record<string, number[]> {
    const owned: Record<string, number[]> = {};
    for (const { topic, partition } of this.tracker.assigned()) (owned[topic] ??= []).push(partition);
    return owned;
  }

  /**
   * Asks the coordinator (DescribeGroups): the group must be stable, and this
   * member (by the id of its last join) must hold the partitions in the
   * current generation. A member the coordinator dropped is not listed; one
   * that is re-joining sees a rebalancing group. Both get nothing, and the
   * caller tries again after the next join.
   */
  async confirmOwnership(partitions: readonly TopicPartition[]): Promise<readonly TopicPartition[]> {
    const memberId = this.tracker.currentMemberId();
    if (this.state !== 'running' || memberId === null) return [];
    const { groups } = await this.admin.describeGroups([this.options.groupId]);
    const group = groups.find((candidate) => candidate.groupId === this.options.groupId);
    const member = group?.members.find((candidate) => candidate.memberId === memberId);
    if (group?.state !== 'Stable' || !member) {
      this.kafka
        .logger()
        .namespace('KafkaEventLog')
        .warn('the group coordinator does not confirm this member yet; its assignment is retried', {
          groupId: this.options.groupId,
          state: group?.state,
          memberListed: member !== undefined,
        });
      return [];
    }
    const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
    const assigned = decoded?.assignment ?? {};
    return partitions.filter(
      (tp) => this.tracker.owns(tp) && (assigned[tp.topic] ?? []).includes(tp.partition),
    );
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    // Waits for the batch in flight, then leaves the group.
    await this.consumer.stop();
    await this.tracker.revokeAll();
    await this.consumer.disconnect();
    await this.admin.disconnect();
  }

  private async handleBatch({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const tp = { topic: batch.topic, partition: batch.partition };
    const key = partitionKey(tp);
    let state = this.partitions.get(key);
    if (!state) {
      state = { positionChecked: false, firstFetched: firstOffsetOf(batch), failures: 0 };
      this.partitions.set(key, state);
    }
    // A partition whose onAssigned (restore) is still running waits paused, so
    // that the batches of the partitions this member already had keep flowing.
    if (!this.tracker.isReady(tp)) return this.waitUntilReady(tp, firstOffsetOf(batch));
    // kafkajs heartbeats only between batches; a slow handler would otherwise
    // cost this member its partitions.
    const pump = setInterval(() => heartbeat().catch(() => undefined), this.config.heartbeatIntervalMs);
    try {
      if (!state.positionChecked) {
        state.positionChecked = true;
        if (await this.skipToStart(tp, firstOffsetOf(batch))) return;
      }
      const records = batch.messages.map((message) => toLogRecord(batch.topic, batch.partition, message));
      await this.options.eachBatch({ topic: batch.topic, partition: batch.partition, records });
      state.failures = 0;
    } catch (error) {
      await this.backOff(tp, state, error);
    } finally {
      clearInterval(pump);
    }
  }

  /**
   * Pauses `tp`, rewinds it to this batch, and resumes it once `onAssigned`
   * has completed for it; if that failed, it is retried (on the next batch)
   * after the consumer's back-off.
   */
  private waitUntilReady(tp: TopicPartition, firstOffset: number): void {
    const key = partitionKey(tp);
    const pausable = [{ topic: tp.topic, partitions: [tp.partition] }];
    this.consumer.pause(pausable);
    this.consumer.seek({ ...tp, offset: String(firstOffset) });
    if (this.waitingReady.has(key)) return;
    this.waitingReady.add(key);
    const resume = (delay: number) => {
      this.waitingReady.delete(key);
      const timer = setTimeout(() => {
        this.resumeTimers.delete(timer);
        if (this.state === 'running' && this.tracker.owns(tp)) this.consumer.resume(pausable);
      }, delay);
      this.resumeTimers.add(timer);
    };
    this.tracker.whenReady(tp).then(
      () => resume(0),
      (error: unknown) => {
        this.report(`partition ${key} is not ready; retrying in ${this.config.retryBackoffMs} ms`, error);
        resume(this.config.retryBackoffMs);
      },
    );
  }

  /**
   * Where the first batch of an assignment must start, checked once after
   * `onAssigned` (and seeking there at most once, so gaps left by compaction
   * or transaction markers cannot loop).
   *
   * Pre-KIP-447 caveat. kafkajs fetched the group's committed offset when the
   * partition was assigned, before `onAssigned` ran. A zombie (the previous
   * owner, unaware it lost the partition) may have had a transaction open
   * then, carrying records and the offsets they consumed. In `onAssigned` the
   * engine opens the transactional producer of this input partition, which
   * fences the zombie and completes its transaction (the broker answers
   * InitProducerId only once the zombie's transaction is aborted or fully
   * committed). The committed offset is final only after that, so it is
   * fetched again here; if the zombie's transaction did commit and moved it
   * past where kafkajs started, the batch is dropped and the consumer seeks to
   * the committed offset: nothing the zombie processed is processed twice.
   *
   * startFrom 'latest': kafkajs resolves "latest" lazily at its first fetch,
   * so records written right after the assignment could be skipped; the end
   * offset is fixed in the assignment step instead (`fixStartPositions`).
   */
  private async skipToStart(tp: TopicPartition, firstOffset: number): Promise<boolean> {
    const expected =
      (await this.committedOffset(tp)) ?? this.latestAtAssignment.get(partitionKey(tp)) ?? null;
    if (expected === null || expected === firstOffset) return false;
    this.consumer.seek({ ...tp, offset: String(expected) });
    return true;
  }

  private async fixStartPositions(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.options.startFrom !== 'latest') return;
    for (const tp of partitions) {
      if ((await this.committedOffset(tp)) !== null) continue;
      const ends = await this.admin.fetchTopicOffsets(tp.topic);
      const end = ends.find((entry) => entry.partition === tp.partition);
      if (end) this.latestAtAssignment.set(partitionKey(tp), Number(end.high));
    }
  }

  /**
   * The handler failed: nothing is committed, the partition is paused and
   * rewound to the group's committed offset (or, with none yet, to where this
   * assignment started), and resumed after an exponential back-off. The
   * error is not rethrown to kafkajs on purpose: kafkajs would restart the
   * fetch loop for every partition and, after its retries, crash the
   * consumer, leave and re-join the group (a rebalance for every member)
   * because of one bad record.
   */
  private async backOff(tp: TopicPartition, state: PartitionState, error: unknown): Promise<void> {
    state.failures += 1;
    const delay = Math.min(
      this.config.retryBackoffMs * 2 ** (state.failures - 1),
      this.config.maxRetryBackoffMs,
    );
    this.report(
      `eachBatch failed for ${partitionKey(tp)} (attempt ${state.failures}); retrying in ${delay} ms`,
      error,
    );
    if (!this.tracker.owns(tp) || this.state !== 'running') return;
    const pausable = [{ topic: tp.topic, partitions: [tp.partition] }];
    this.consumer.pause(pausable);
    let rewindTo = state.firstFetched;
    try {
      rewindTo = (await this.committedOffset(tp)) ?? state.firstFetched;
    } catch (fetchError) {
      this.report(`could not read the committed offset of ${partitionKey(tp)}`, fetchError);
    }
    state.positionChecked = true;
    this.consumer.seek({ ...tp, offset: String(rewindTo) });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (this.state === 'running') this.consumer.resume(pausable);
    }, delay);
    this.resumeTimers.add(timer);
  }

  private async committedOffset(tp: TopicPartition): Promise<number | null> {
    const topics = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [tp.topic] });
    const offset = topics
      .find((entry) => entry.topic === tp.topic)
      ?.partitions.find((entry) => entry.partition === tp.partition)?.offset;
    const value = offset === undefined ? -1 : Number(offset);
    return value >= 0 ? value : null;
  }

  private report(message: string, error: unknown): void {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.kafka
      .logger()
      .namespace('KafkaEventLog')
      .error(message, { groupId: this.options.groupId, error: detail });
  }
}

/** The offset of the first record in the batch, control records included (kafkajs never hands eachBatch an empty batch). */
function firstOffsetOf(batch: Batch): number {
  return Number(batch.firstOffset() ?? batch.messages[0].offset);
}
