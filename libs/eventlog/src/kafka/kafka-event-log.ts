import type { Admin, Kafka } from 'kafkajs';
import type {
  Consumer,
  ConsumerOptions,
  EventLog,
  LogRecord,
  PartitionOffsets,
  Producer,
  TopicSpec,
  TransactionalProducer,
} from '../event-log.port';
import { KafkaGroupConsumer } from './kafka-consumer';
import {
  createKafkaClient,
  explicitPartitioner,
  resolveKafkaOptions,
  type KafkaEventLogOptions,
  type ResolvedKafkaOptions,
} from './kafka-options';
import { kafkaPartitionOffsets, readKafkaPartition } from './kafka-partition-reader';
import { KafkaPlainProducer } from './kafka-producer';
import { KafkaTopics } from './kafka-topics';
import { KafkaTransactionalProducer } from './kafka-transactional-producer';

interface Closable {
  close(): Promise<void>;
}

/**
 * The event-log port on Apache Kafka, through kafkajs.
 *
 * @example
 *   const log = await KafkaEventLog.connect({ brokers: ['127.0.0.1:9092'] });
 *   await log.ensureTopics([{ name: 'baton.run-events', partitions: 8 }]);
 *   const producer = await log.producer();
 *   await producer.send([{ topic: 'baton.run-events', key: runId, value: JSON.stringify(event) }]);
 *   await log.close();
 */
export class KafkaEventLog implements EventLog {
  private readonly topics: KafkaTopics;
  private readonly open = new Set<Closable>();
  private readonly consumers = new Set<Consumer>();
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly config: ResolvedKafkaOptions,
  ) {
    this.topics = new KafkaTopics(admin);
  }

  /** Connects an admin client, which fails fast (a few seconds) if no broker answers. */
  static async connect(options: KafkaEventLogOptions = {}): Promise<KafkaEventLog> {
    const config = resolveKafkaOptions(options);
    const kafka = createKafkaClient(config);
    const admin = kafka.admin({ retry: { retries: 2 } });
    try {
      await admin.connect();
      await admin.describeCluster();
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Kafka is unreachable at ${config.brokers.join(',')}: ${reason}`, { cause: error });
    }
    return new KafkaEventLog(kafka, admin, config);
  }

  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    return this.topics.ensureTopics(topics);
  }

  partitionCount(topic: string): Promise<number> {
    this.assertOpen();
    return this.topics.partitionCount(topic);
  }

  async partitionOffsets(topic: string, partition: number): Promise<PartitionOffsets> {
    this.assertOpen();
    return kafkaPartitionOffsets(this.admin, topic, partition);
  }

  async producer(): Promise<Producer> {
    this.assertOpen();
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: explicitPartitioner,
    });
    await producer.connect();
    return this.track(new KafkaPlainProducer(producer, (topic) => this.topics.partitionCount(topic)));
  }

  async transactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    this.assertOpen();
    const producer = await KafkaTransactionalProducer.open(
      this.kafka,
      transactionalId,
      this.config.transactionTimeoutMs,
      (topic) => this.topics.partitionCount(topic),
    );
    return this.track(producer);
  }

  consumer(options: ConsumerOptions): Consumer {
    this.assertOpen();
    const consumer = new KafkaGroupConsumer(createKafkaClient(this.config), options, this.config);
    this.consumers.add(consumer);
    return consumer;
  }

  async *readPartition(topic: string, partition: number, fromOffset?: number): AsyncIterable<LogRecord> {
    this.assertOpen();
    yield* readKafkaPartition(
      createKafkaClient(this.config),
      this.admin,
      this.config,
      topic,
      partition,
      fromOffset,
    );
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.admin.describeCluster();
  }

  /** Stops consumers first (they may still commit through the producers), then closes producers and the admin client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.allSettled([...this.open].map((closable) => closable.close()));
    await this.admin.disconnect();
  }

  /** Closing twice is harmless (kafkajs's disconnect is idempotent), so closed ones are not untracked. */
  private track<T extends Closable>(closable: T): T {
    this.open.add(closable);
    return closable;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KafkaEventLog is closed');
  }
}
