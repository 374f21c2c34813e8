import type { Kafka, Producer as KafkaProducer, Transaction } from 'kafkajs';
import {
  ProducerFencedError,
  ProducerUnusableError,
  type GroupOffset,
  type TransactionalProducer,
  type TransactionWork,
} from '../event-log.port';
import { toPortError } from './kafka-errors';
import { explicitPartitioner } from './kafka-options';
import { toTopicMessages, type PartitionCounts } from './kafka-records';

/**
 * One kafkajs transactional producer per transactional id. `open` takes
 * ownership of the id at once (InitProducerId bumps the epoch, which fences
 * the previous owner and aborts its open transaction), so that the engine can
 * rely on "after open, the zombie can no longer commit".
 */
export class KafkaTransactionalProducer implements TransactionalProducer {
  // kafkajs allows one open transaction per producer; commits are queued.
  private queue: Promise<unknown> = Promise.resolve();
  /** Set once the producer can no longer be used: fenced, or stuck after a failed commit. */
  private broken: Error | null = null;

  private constructor(
    readonly transactionalId: string,
    private readonly producer: KafkaProducer,
    private readonly partitionCounts: PartitionCounts,
  ) {}

  static async open(
    kafka: Kafka,
    transactionalId: string,
    transactionTimeoutMs: number,
    partitionCounts: PartitionCounts,
  ): Promise<KafkaTransactionalProducer> {
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: transactionTimeoutMs,
      createPartitioner: explicitPartitioner,
    });
    await producer.connect();
    try {
      // kafkajs sends InitProducerId lazily, on the first transaction(), not
      // on connect(). An empty transaction forces it now; aborting one that
      // touched no partition sends nothing to the broker.
      const empty = await producer.transaction();
      await empty.abort();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw toPortError(error, transactionalId);
    }
    return new KafkaTransactionalProducer(transactionalId, producer, partitionCounts);
  }

  commit(work: TransactionWork): Promise<void> {
    return this.serially(() => this.run(work, 'commit'));
  }

  abortAfterWriting(work: TransactionWork): Promise<void> {
    return this.serially(() => this.run(work, 'abort'));
  }

  async close(): Promise<void> {
    await this.queue;
    await this.producer.disconnect();
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const done = this.queue.then(step);
    this.queue = done.catch(() => undefined);
    return done;
  }

  private async run(work: TransactionWork, end: 'commit' | 'abort'): Promise<void> {
    if (this.broken) throw this.broken;
    const topicMessages = await toTopicMessages(work.records, this.partitionCounts);
    const transaction = await this.producer.transaction();
    try {
      if (topicMessages.length > 0) await transaction.sendBatch({ topicMessages, acks: -1 });
      for (const [consumerGroupId, topics] of offsetsByGroup(work.offsets)) {
        await transaction.sendOffsets({ consumerGroupId, topics });
      }
      await (end === 'commit' ? transaction.commit() : transaction.abort());
    } catch (error) {
      await this.abortAfterFailure(transaction);
      const mapped = toPortError(error, this.transactionalId);
      if (mapped instanceof ProducerFencedError) this.broken = mapped;
      // Broken half-way through ending it: the owner must see that, not the transient cause.
      throw this.broken ?? mapped;
    }
  }

  /**
   * kafkajs moves to COMMITTING/ABORTING before sending EndTxn and stays there
   * if EndTxn fails, after which every call is refused. Such a producer is
   * marked broken; the owner must open the transactional id again.
   */
  private async abortAfterFailure(transaction: Transaction): Promise<void> {
    if (!transaction.isActive()) {
      this.broken ??= new ProducerUnusableError(this.transactionalId, 'failed while ending a transaction');
      return;
    }
    try {
      await transaction.abort();
    } catch (abortError) {
      this.broken ??=
        toPortError(abortError, this.transactionalId) instanceof ProducerFencedError
          ? new ProducerFencedError(this.transactionalId)
          : new ProducerUnusableError(this.transactionalId, 'could not abort');
    }
  }
}

type OffsetTopics = { topic: string; partitions: { partition: number; offset: string }[] }[];

function offsetsByGroup(offsets: TransactionWork['offsets']): Map<string, OffsetTopics> {
  const list: readonly GroupOffset[] = offsets === undefined ? [] : isList(offsets) ? offsets : [offsets];
  const result = new Map<string, OffsetTopics>();
  for (const { groupId, topic, partition, offset } of list) {
    const topics = result.get(groupId) ?? [];
    result.set(groupId, topics);
    let entry = topics.find((candidate) => candidate.topic === topic);
    if (!entry) {
      entry = { topic, partitions: [] };
      topics.push(entry);
    }
    entry.partitions.push({ partition, offset: String(offset) });
  }
  return result;
}

function isList(offsets: GroupOffset | readonly GroupOffset[]): offsets is readonly GroupOffset[] {
  return Array.isArray(offsets);
}
