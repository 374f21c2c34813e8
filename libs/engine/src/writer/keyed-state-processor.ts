import type { BatonLogger } from '@baton/observability';
import {
  ProducerFencedError,
  ProducerUnusableError,
  type Batch,
  type Consumer,
  type EventLog,
  type LogRecord,
  type OutgoingRecord,
  type TopicPartition,
  type TransactionalProducer,
} from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import { appliedInputKey, decodeAppliedInput, encodeAppliedInput, isAppliedInputKey } from './applied-input';

/** What one batch decided: the records to write and the new state of every key it touched. */
export interface KeyedBatchResult<S> {
  readonly records: OutgoingRecord[];
  readonly changed: ReadonlyMap<string, S>;
  /** Keys to drop after the commit: their snapshot becomes a tombstone, so a restore does not bring them back. */
  readonly forgotten?: ReadonlySet<string>;
}

/**
 * A single writer of keyed state (the engine's runs, the workflow queue, the
 * signal router): what it reads, where it keeps its snapshots, and the pure
 * function that decides a batch.
 */
export interface KeyedStateProcessorSpec<S, R extends KeyedBatchResult<S> = KeyedBatchResult<S>> {
  /** For logs: the writer, and what a key is (`owns partition` logs `{ partition: 3, keys: 120, keysAre: 'runs' }`). */
  readonly name: string;
  readonly keysAre: string;
  /** Consumer group; transactional ids are `<groupId>.<partition>`. */
  readonly groupId: string;
  readonly inputTopic: string;
  /** Compacted, partitioned like `inputTopic`: partition p's snapshots restore partition p. */
  readonly stateTopic: string;
  decodeState(json: string): S;
  /**
   * Runs before `process`, e.g. to load what deciding the batch reads besides
   * the states. A rejection fails the batch, which is delivered again.
   */
  beforeProcess?(records: readonly LogRecord[]): Promise<void>;
  /** Pure: `states` is read-only; `now` is the batch's time. */
  process(states: ReadonlyMap<string, S>, records: readonly LogRecord[], now: number): R;
  /** Runs before the commit, e.g. to create topics the records need. */
  beforeCommit?(result: R): Promise<void>;
  /** After the commit, per adopted state, and per state restored on assignment. */
  onAdopted?(key: string, state: S, partition: number): void;
  /** After a partition's states were restored and adopted (on assignment, or after a fence). */
  onRestored?(partition: number): void;
  /** After the commit of a batch (metrics). */
  onCommitted?(result: R, partition: number): void;
  /** Keys no longer held: their partition was given up (revoked), or a batch forgot them. */
  onReleased?(keys: Iterable<string>): void;
}

interface OwnedPartition<S> {
  readonly producer: TransactionalProducer;
  readonly states: Map<string, S>;
  /** The state topic's applied-input record: input offsets below `next` are already in `states`. */
  readonly applied: { readonly key: string; next: number };
}

interface Restored<S> {
  readonly states: Map<string, S>;
  readonly next: number;
}

/** How one assigned partition's writer is doing (readiness, metrics). */
export interface PartitionHealth {
  readonly partition: number;
  /** Its transactional producer was fenced and the id is not re-opened yet. */
  readonly fenced: boolean;
  /** Batches that failed in a row since the last commit. */
  readonly failingBatches: number;
}

/** What readiness and metrics read from a single writer. */
export interface WriterHealthSource {
  readonly name: string;
  health(): readonly PartitionHealth[];
}

/**
 * The shell around a keyed single writer (BRIEF points 1-3, 5). For each
 * partition of `inputTopic` it gains, it opens the transactional id
 * `<group>.<partition>` (fencing a previous owner that may still be alive)
 * and restores that partition's states from the compacted state topic. Each
 * batch is decided by `process` and written in one transaction: its records,
 * a snapshot per changed key, the applied-input record (see `AppliedInput`)
 * and the input offset. States are adopted only after the commit, so a crash
 * or a fence at any instant leaves either everything or nothing.
 *
 * Exactly once does not rest on the committed offset alone: kafkajs cannot
 * ask for a stable offset (OffsetFetch `require_stable`, KIP-447), and the
 * broker materialises a committed transaction's offsets a little after
 * `commit()` resolves. A consumer that rewinds to the committed offset (after
 * a failed batch, or at a takeover) may therefore be handed commands its
 * states already hold. Those below the applied-input offset (restored with
 * the states, then advanced by each commit) are skipped, never decided again.
 *
 * Liveness: a fenced producer (another process opened the id: a takeover
 * this member has not heard of yet, or a zombie's late assignment) is not
 * kept. The partition's states are dropped and, if the coordinator confirms
 * that this member still owns the partition, the id is opened again and the
 * states restored from the log (they may be stale); otherwise the partition
 * stays dropped until the next assignment. The id is only ever opened after
 * that confirmation, so a member with an old view never fences the owner.
 *
 * @example
 *   const queue = new KeyedStateProcessor(log, clock, logger, {
 *     name: 'WorkflowQueue', keysAre: 'workflows', groupId: 'baton-workflow-queue',
 *     inputTopic: Topics.workflowCommands, stateTopic: Topics.workflowState,
 *     decodeState: (json) => JSON.parse(json), process: processWorkflowCommands,
 *   });
 *   await queue.start();
 */
export class KeyedStateProcessor<
  S,
  R extends KeyedBatchResult<S> = KeyedBatchResult<S>,
> implements WriterHealthSource {
  private readonly owned = new Map<number, OwnedPartition<S>>();
  /** Every partition assigned to this member, owned (producer open, states restored) or not yet. */
  private readonly assigned = new Map<number, { fenced: boolean; failingBatches: number }>();
  /** An acquire in flight per partition, so that an assignment and a fence recovery never open the id twice. */
  private readonly acquiring = new Map<number, Promise<void>>();
  private consumer: Consumer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly logger: BatonLogger,
    private readonly spec: KeyedStateProcessorSpec<S, R>,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.log.consumer({
      groupId: this.spec.groupId,
      topics: [this.spec.inputTopic],
      onAssigned: (partitions) => this.assign(partitions),
      onRevoked: (partitions) => this.revoke(partitions),
      eachBatch: (batch) => this.handle(batch),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  /** The current state of `key`, if a partition this process owns holds it. */
  stateOf(key: string, partition: number): S | undefined {
    return this.owned.get(partition)?.states.get(key);
  }

  get name(): string {
    return this.spec.name;
  }

  health(): readonly PartitionHealth[] {
    return [...this.assigned].map(([partition, health]) => ({ partition, ...health }));
  }

  /** Number of keys held over all owned partitions. */
  get size(): number {
    let size = 0;
    for (const owned of this.owned.values()) size += owned.states.size;
    return size;
  }

  /** Partitions are restored in parallel; one that the coordinator does not confirm fails the step (retried). */
  private async assign(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      if (!this.assigned.has(partition)) this.assigned.set(partition, { fenced: false, failingBatches: 0 });
    }
    const confirmed = await this.confirmed(partitions);
    await Promise.all(
      confirmed.filter((partition) => !this.owned.has(partition)).map((partition) => this.acquire(partition)),
    );
    const unconfirmed = partitions.filter(({ partition }) => !confirmed.includes(partition));
    if (unconfirmed.length > 0)
      throw new Error(
        `the group coordinator does not confirm partitions ${unconfirmed.map((tp) => tp.partition).join(', ')} yet`,
      );
  }

  private async confirmed(partitions: readonly TopicPartition[]): Promise<number[]> {
    if (!this.consumer) return [];
    return (await this.consumer.confirmOwnership(partitions)).map(({ partition }) => partition);
  }

  private acquire(partition: number): Promise<void> {
    const inFlight = this.acquiring.get(partition);
    if (inFlight) return inFlight;
    const acquired = this.open(partition).finally(() => this.acquiring.delete(partition));
    this.acquiring.set(partition, acquired);
    return acquired;
  }

  /** Opens the partition's transactional id (fencing any earlier owner), then restores and adopts its states. */
  private async open(partition: number): Promise<void> {
    const producer = await this.log.transactionalProducer(`${this.spec.groupId}.${partition}`);
    let restored: Restored<S>;
    try {
      restored = await this.restore(partition);
    } catch (error) {
      await producer.close().catch(() => undefined);
      throw error;
    }
    if (!this.assigned.has(partition)) {
      // Revoked while restoring (a fence recovery runs outside the assignment steps): not ours to keep.
      await producer.close().catch(() => undefined);
      return;
    }
    const { states, next } = restored;
    const key = appliedInputKey(partition, await this.log.partitionCount(this.spec.stateTopic));
    this.owned.set(partition, { producer, states, applied: { key, next } });
    const health = this.assigned.get(partition);
    if (health) health.fenced = false;
    for (const [key, state] of states) this.spec.onAdopted?.(key, state, partition);
    this.spec.onRestored?.(partition);
    this.logger.info('owns partition', {
      writer: this.spec.name,
      partition,
      keys: states.size,
      keysAre: this.spec.keysAre,
    });
  }

  /** The latest snapshot per key wins; a tombstone deletes. The applied-input record is not a state. */
  private async restore(partition: number): Promise<Restored<S>> {
    const states = new Map<string, S>();
    let next = 0;
    for await (const record of this.log.readPartition(this.spec.stateTopic, partition)) {
      if (isAppliedInputKey(record.key)) next = decodeAppliedInput(record.value, partition)?.next ?? next;
      else if (record.value === null) states.delete(record.key);
      else states.set(record.key, this.spec.decodeState(record.value));
    }
    return { states, next };
  }

  private async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      this.assigned.delete(partition);
      if (await this.drop(partition))
        this.logger.info('released partition', { writer: this.spec.name, partition });
    }
  }

  /** Forgets the partition's states and closes its producer; false if it was not owned. */
  private async drop(partition: number): Promise<boolean> {
    const owned = this.owned.get(partition);
    if (!owned) return false;
    this.owned.delete(partition);
    this.spec.onReleased?.(owned.states.keys());
    await owned.producer.close().catch(() => undefined);
    return true;
  }

  private async handle(batch: Batch): Promise<void> {
    const health = this.assigned.get(batch.partition);
    try {
      await this.decideAndCommit(batch);
      if (health) health.failingBatches = 0;
    } catch (error) {
      if (health) health.failingBatches += 1;
      if (error instanceof ProducerFencedError || error instanceof ProducerUnusableError)
        await this.recoverFromFence(batch.partition, error.message);
      throw error;
    }
  }

  /**
   * The producer was fenced, or broke while ending a transaction: its states
   * may be stale and it can never commit again. Re-opened at once if this
   * member still owns the partition; the
   * error still goes to the consumer, which rewinds to the committed offset
   * (read after the re-open, so it includes what the other writer committed).
   */
  private async recoverFromFence(partition: number, why: string): Promise<void> {
    const health = this.assigned.get(partition);
    if (health) health.fenced = true;
    await this.drop(partition);
    this.logger.error('released partition; re-opening it if this member still owns the partition', {
      writer: this.spec.name,
      partition,
      reason: why,
    });
    try {
      await this.reacquire(partition);
    } catch (error) {
      this.logger.warn('partition stays dropped until the coordinator confirms it', {
        writer: this.spec.name,
        partition,
        error: (error as Error).message,
      });
    }
  }

  private async reacquire(partition: number): Promise<void> {
    if (!this.assigned.has(partition)) throw new Error(`partition ${partition} is not assigned`);
    const topicPartition = { topic: this.spec.inputTopic, partition };
    if ((await this.confirmed([topicPartition])).length === 0)
      throw new Error(`the group coordinator does not confirm partition ${partition}`);
    await this.acquire(partition);
  }

  private async decideAndCommit(batch: Batch): Promise<void> {
    const owned = this.owned.get(batch.partition);
    if (!owned) {
      // Dropped after a fence: take it back if confirmed, then have the batch
      // redelivered from the offset committed as of the re-open.
      await this.reacquire(batch.partition);
      throw new Error(`re-opened partition ${batch.partition}; redelivering from the committed offset`);
    }
    const next = batch.records[batch.records.length - 1].offset + 1;
    const offsets = {
      groupId: this.spec.groupId,
      topic: batch.topic,
      partition: batch.partition,
      offset: next,
    };
    const fresh = this.notYetApplied(owned, batch);
    if (fresh.length === 0) {
      // All of it is in the states already: only move the committed offset on.
      await owned.producer.commit({ records: [], offsets });
      return;
    }
    // Only when there is one: an await of nothing would still cost the batch a turn.
    if (this.spec.beforeProcess) await this.spec.beforeProcess(fresh);
    const result = this.spec.process(owned.states, fresh, this.clock.now());
    await this.spec.beforeCommit?.(result);
    const snapshots: OutgoingRecord[] = [];
    for (const [key, state] of result.changed) {
      snapshots.push({ topic: this.spec.stateTopic, key, value: JSON.stringify(state) });
    }
    const forgotten = result.forgotten ?? new Set<string>();
    for (const key of forgotten) snapshots.push({ topic: this.spec.stateTopic, key, value: null });
    const applied = encodeAppliedInput({ partition: batch.partition, next });
    snapshots.push({ topic: this.spec.stateTopic, key: owned.applied.key, value: applied });
    await owned.producer.commit({ records: [...result.records, ...snapshots], offsets });
    owned.applied.next = next;
    for (const [key, state] of result.changed) {
      owned.states.set(key, state);
      this.spec.onAdopted?.(key, state, batch.partition);
    }
    for (const key of forgotten) owned.states.delete(key);
    if (forgotten.size > 0) this.spec.onReleased?.(forgotten);
    this.spec.onCommitted?.(result, batch.partition);
  }

  /**
   * The batch's records that the states do not hold yet. Those below the
   * applied-input offset were decided by an earlier transaction (this
   * member's or a previous owner's) and are delivered again only because the
   * committed offset the consumer rewound to lagged that transaction.
   */
  private notYetApplied(owned: OwnedPartition<S>, batch: Batch): readonly LogRecord[] {
    const fresh = batch.records.filter((record) => record.offset >= owned.applied.next);
    const skipped = batch.records.length - fresh.length;
    if (skipped > 0)
      this.logger.warn('skipped records already in the restored states', {
        writer: this.spec.name,
        partition: batch.partition,
        skipped,
        fromOffset: batch.records[0].offset,
        appliedUpTo: owned.applied.next,
      });
    return fresh;
  }
}
