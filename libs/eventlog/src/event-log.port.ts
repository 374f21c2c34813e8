/**
 * The one port through which Baton reads and writes its logs. Kafka (kafkajs)
 * and the embedded on-disk log implement it, and both pass the same contract
 * suite (`event-log.contract.ts`).
 *
 * Semantics follow Kafka's, kept to what the engine, projectors and executors
 * need:
 * - a topic has a fixed number of partitions; a record's key picks its
 *   partition (same key -> same partition, in order), see `partitionForKey`;
 * - consumers belong to a group; each partition of the subscribed topics is
 *   owned by one member at a time; committed offsets survive restarts;
 * - a transactional producer writes records to several topics and commits a
 *   consumer's input offsets in one atomic step; consumers only ever see
 *   committed records (read-committed);
 * - a transactional id is owned by one producer at a time: opening it again
 *   fences the previous owner (zombie fencing), whose next commit fails with
 *   `ProducerFencedError`.
 *
 * @example
 *   await log.ensureTopics([{ name: 'baton.run-commands', partitions: 8 }]);
 *   const tx = await log.transactionalProducer('baton-engine-0');
 *   const consumer = log.consumer({
 *     groupId: 'baton-engine',
 *     topics: ['baton.run-commands'],
 *     eachBatch: async ({ topic, partition, records }) => {
 *       const next = records[records.length - 1].offset + 1;
 *       await tx.commit({
 *         records: [{ topic: 'baton.run-events', key: records[0].key, value: '{}' }],
 *         offsets: { groupId: 'baton-engine', topic, partition, offset: next },
 *       });
 *     },
 *   });
 *   await consumer.start();
 */
export interface PartitionOffsets {
  readonly start: number;
  readonly end: number;
}

export interface EventLog {
  /** Creates missing topics; existing topics are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Number of partitions of an existing topic. */
  partitionCount(topic: string): Promise<number>;
  /**
   * The partition's log start offset (records below it were dropped by
   * retention; 0 while none were) and its end offset (the next one written).
   */
  partitionOffsets(topic: string, partition: number): Promise<PartitionOffsets>;
  /** A plain (idempotent, non-transactional) producer. */
  producer(): Promise<Producer>;
  /** Opens (and takes ownership of) a transactional id, fencing any earlier owner. */
  transactionalProducer(transactionalId: string): Promise<TransactionalProducer>;
  /** A consumer-group member. Nothing is delivered before `start()`. */
  consumer(options: ConsumerOptions): Consumer;
  /**
   * Reads committed records of one partition from `fromOffset` up to the end
   * of the partition as it was when the call began (used to restore state from
   * a compacted topic). For a compacted topic, callers keep the last value per
   * key; a null value (tombstone) deletes the key.
   */
  readPartition(topic: string, partition: number, fromOffset?: number): AsyncIterable<LogRecord>;
  /**
   * Resolves when the log answers now (Kafka: a broker's cluster metadata;
   * embedded: the log is open), rejects with the reason otherwise. For readiness.
   */
  ping(): Promise<void>;
  /** Releases connections, files and timers. */
  close(): Promise<void>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Log compaction keeps the latest record per key (state/changelog topics). */
  readonly compacted?: boolean;
}

export type Headers = Readonly<Record<string, string>>;

/** A record to be written. `value: null` is a tombstone (deletes the key on compacted topics). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string | null;
  readonly headers?: Headers;
}

/** A record as read back from the log. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  /** Position within the partition; the next record to read after this one is `offset + 1` or later. */
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
  readonly headers: Headers;
  /** Milliseconds since the epoch, set by the log when the record was appended. */
  readonly timestamp: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A committed consumer position: `offset` is the next record the group will read. */
export interface GroupOffset extends TopicPartition {
  readonly groupId: string;
  readonly offset: number;
}

export interface Producer {
  /** Resolves once every record is durably acknowledged; per-key order is kept within one call and across calls. */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Everything one transaction writes: records on any topics plus the consumer offsets it consumed. */
export interface TransactionWork {
  readonly records: readonly OutgoingRecord[];
  readonly offsets?: GroupOffset | readonly GroupOffset[];
}

export interface TransactionalProducer {
  readonly transactionalId: string;
  /**
   * Writes `work` atomically: all records become visible and all offsets are
   * committed, or nothing is. Rejects with `ProducerFencedError` if another
   * producer has opened the same transactional id since this one did.
   */
  commit(work: TransactionWork): Promise<void>;
  /**
   * Begins a transaction, writes its records, then aborts it instead of
   * committing: nothing becomes visible and no offset moves. Exists so the
   * contract suite can prove abort semantics; the engine never calls it.
   */
  abortAfterWriting(work: TransactionWork): Promise<void>;
  close(): Promise<void>;
}

export interface Batch {
  readonly topic: string;
  readonly partition: number;
  /** Non-empty, in offset order. */
  readonly records: readonly LogRecord[];
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where to start in partitions with no committed offset for the group. Default: 'earliest'. */
  readonly startFrom?: 'earliest' | 'latest';
  /**
   * Called when this member gains partitions, before any of their records is
   * delivered. The engine restores state here.
   */
  readonly onAssigned?: (partitions: readonly TopicPartition[]) => Promise<void>;
  /**
   * Called when this member loses partitions (rebalance or stop), after the
   * last batch of those partitions has been handled. The engine drops their
   * state here.
   */
  readonly onRevoked?: (partitions: readonly TopicPartition[]) => Promise<void>;
  /**
   * Handles records of one partition. Batches of one partition are delivered
   * one at a time, in order. Offsets are not committed automatically: the
   * handler commits through a transaction or `Consumer.commit`. If the handler
   * throws, the consumer stops delivering that partition and re-delivers from
   * the last committed offset after a back-off.
   */
  readonly eachBatch: (batch: Batch) => Promise<void>;
  /**
   * Under load, a batch smaller than the most one fetch returns waits until
   * this many milliseconds after the previous batch was handed out; after a
   * quiet spell the next batch goes at once (Nagle-style). For consumers off
   * the critical path with a high cost per batch, such as read-model writers
   * (one SQL transaction per batch). Default 0.
   *
   * The embedded log honours it: there, producers cannot run while a handler
   * works, so without it a batch holds only what arrived since the last turn.
   * Kafka ignores it: records gather in the broker during the fetch round trip.
   */
  readonly lingerMs?: number;
}

export interface Consumer {
  /** Joins the group; resolves once the member is running (it may own no partitions yet). */
  start(): Promise<void>;
  /** Commits offsets outside any transaction (`offset` = next record to read). */
  commit(offsets: readonly { topic: string; partition: number; offset: number }[]): Promise<void>;
  /** The partitions this member owns now. */
  assignment(): readonly TopicPartition[];
  /**
   * Of `partitions`, those the group's coordinator assigns to this member in
   * its current generation. A writer asks before it opens a partition's
   * transactional id: a member that missed a rebalance (paused longer than its
   * session) still believes in its old assignment, and opening the id then
   * would fence the partition's real owner.
   */
  confirmOwnership(partitions: readonly TopicPartition[]): Promise<readonly TopicPartition[]>;
  /** Leaves the group after the batch in flight is handled; calls `onRevoked` for what it owned. */
  stop(): Promise<void>;
}

/** Raised by a transactional producer that a newer owner of its transactional id has fenced. */
export class ProducerFencedError extends Error {
  constructor(readonly transactionalId: string) {
    super(`transactional id ${transactionalId} was opened by a newer producer; this one is fenced`);
    this.name = 'ProducerFencedError';
  }
}

/**
 * The producer can never commit again, though nobody fenced it: ending a
 * transaction failed half-way, so whether that transaction committed is not
 * known. Its owner recovers as from a fence: open the id again (which
 * completes or aborts the open transaction) and restore its states.
 */
export class ProducerUnusableError extends Error {
  constructor(
    readonly transactionalId: string,
    reason: string,
  ) {
    super(`transactional producer ${transactionalId} ${reason}; open it again`);
    this.name = 'ProducerUnusableError';
  }
}
