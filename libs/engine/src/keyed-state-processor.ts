import type { LoggerService } from '@nestjs/common';
import type {
  Batch,
  Consumer,
  EventLog,
  LogRecord,
  OutgoingRecord,
  TopicPartition,
  TransactionalProducer,
} from '@baton/eventlog';
import type { Clock } from '@baton/platform';

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
  /** For logs: the context, and what a key is ("runs" logs "owns partition 3 with 120 runs"). */
  readonly name: string;
  readonly keysAre: string;
  /** Consumer group; transactional ids are `<groupId>.<partition>`. */
  readonly groupId: string;
  readonly inputTopic: string;
  /** Compacted, partitioned like `inputTopic`: partition p's snapshots restore partition p. */
  readonly stateTopic: string;
  decodeState(json: string): S;
  /** Pure: `states` is read-only; `now` is the batch's time. */
  process(states: ReadonlyMap<string, S>, records: readonly LogRecord[], now: number): R;
  /** Runs before the commit, e.g. to create topics the records need. */
  beforeCommit?(result: R): Promise<void>;
  /** After the commit, per adopted state, and per state restored on assignment. */
  onAdopted?(key: string, state: S, partition: number): void;
  /** After the commit of a batch (metrics). */
  onCommitted?(result: R, partition: number): void;
  /** Keys no longer held: their partition was given up (revoked), or a batch forgot them. */
  onReleased?(keys: Iterable<string>): void;
}

interface OwnedPartition<S> {
  readonly producer: TransactionalProducer;
  readonly states: Map<string, S>;
}

/**
 * The shell around a keyed single writer (BRIEF points 1-3, 5). For each
 * partition of `inputTopic` it gains, it opens the transactional id
 * `<group>.<partition>` (fencing a previous owner that may still be alive)
 * and restores that partition's states from the compacted state topic. Each
 * batch is decided by `process` and written in one transaction: its records,
 * a snapshot per changed key and the input offset. States are adopted only
 * after the commit, so a crash or a fence at any instant leaves either
 * everything or nothing.
 *
 * @example
 *   const queue = new KeyedStateProcessor(log, clock, logger, {
 *     name: 'WorkflowQueue', keysAre: 'workflows', groupId: 'baton-workflow-queue',
 *     inputTopic: Topics.workflowCommands, stateTopic: Topics.workflowState,
 *     decodeState: (json) => JSON.parse(json), process: processWorkflowCommands,
 *   });
 *   await queue.start();
 */
export class KeyedStateProcessor<S, R extends KeyedBatchResult<S> = KeyedBatchResult<S>> {
  private readonly owned = new Map<number, OwnedPartition<S>>();
  private consumer: Consumer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
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

  /** Number of keys held over all owned partitions. */
  get size(): number {
    let size = 0;
    for (const owned of this.owned.values()) size += owned.states.size;
    return size;
  }

  private async assign(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      const producer = await this.log.transactionalProducer(`${this.spec.groupId}.${partition}`);
      const states = await this.restore(partition);
      this.owned.set(partition, { producer, states });
      for (const [key, state] of states) this.spec.onAdopted?.(key, state, partition);
      this.logger.log(`owns partition ${partition} with ${states.size} ${this.spec.keysAre}`, this.spec.name);
    }
  }

  /** The latest snapshot per key wins; a tombstone deletes. */
  private async restore(partition: number): Promise<Map<string, S>> {
    const states = new Map<string, S>();
    for await (const record of this.log.readPartition(this.spec.stateTopic, partition)) {
      if (record.value === null) states.delete(record.key);
      else states.set(record.key, this.spec.decodeState(record.value));
    }
    return states;
  }

  private async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    for (const { partition } of partitions) {
      const owned = this.owned.get(partition);
      if (!owned) continue;
      this.owned.delete(partition);
      this.spec.onReleased?.(owned.states.keys());
      await owned.producer.close();
      this.logger.log(`released partition ${partition}`, this.spec.name);
    }
  }

  private async handle(batch: Batch): Promise<void> {
    const owned = this.owned.get(batch.partition);
    if (!owned)
      throw new Error(`batch for partition ${batch.partition}, which ${this.spec.name} does not own`);
    const result = this.spec.process(owned.states, batch.records, this.clock.now());
    await this.spec.beforeCommit?.(result);
    const snapshots: OutgoingRecord[] = [];
    for (const [key, state] of result.changed) {
      snapshots.push({ topic: this.spec.stateTopic, key, value: JSON.stringify(state) });
    }
    const forgotten = result.forgotten ?? new Set<string>();
    for (const key of forgotten) snapshots.push({ topic: this.spec.stateTopic, key, value: null });
    const next = batch.records[batch.records.length - 1].offset + 1;
    await owned.producer.commit({
      records: [...result.records, ...snapshots],
      offsets: { groupId: this.spec.groupId, topic: batch.topic, partition: batch.partition, offset: next },
    });
    for (const [key, state] of result.changed) {
      owned.states.set(key, state);
      this.spec.onAdopted?.(key, state, batch.partition);
    }
    for (const key of forgotten) owned.states.delete(key);
    if (forgotten.size > 0) this.spec.onReleased?.(forgotten);
    this.spec.onCommitted?.(result, batch.partition);
  }
}
