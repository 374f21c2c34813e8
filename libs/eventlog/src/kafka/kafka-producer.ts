import type { Producer as KafkaProducer } from 'kafkajs';
import type { OutgoingRecord, Producer } from '../event-log.port';
import { toTopicMessages, type PartitionCounts } from './kafka-records';

/**
 * The port's plain producer: idempotent (no duplicates on retry, per-partition
 * order kept), acks from all in-sync replicas.
 */
export class KafkaPlainProducer implements Producer {
  // Sends are serialised: kafkajs's idempotent producer hands out sequence
  // numbers per request, and concurrent sends to one partition can reach the
  // broker out of order (OUT_OF_ORDER_SEQUENCE_NUMBER) and break per-key order.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly producer: KafkaProducer,
    private readonly partitionCounts: PartitionCounts,
  ) {}

  send(records: readonly OutgoingRecord[]): Promise<void> {
    const sent = this.queue.then(async () => {
      if (records.length === 0) return;
      const topicMessages = await toTopicMessages(records, this.partitionCounts);
      await this.producer.sendBatch({ topicMessages, acks: -1 });
    });
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.producer.disconnect();
  }
}
