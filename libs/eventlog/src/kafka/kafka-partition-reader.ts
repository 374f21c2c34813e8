import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Admin, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { LogRecord, PartitionOffsets } from '../event-log.port';
import type { ResolvedKafkaOptions } from './kafka-options';
import { toLogRecord } from './kafka-records';

/**
 * `EventLog.readPartition` over kafkajs, which has no `assign()`: a throw-away
 * consumer group (unique id, never commits) whose only member is given just
 * the requested partition by a one-partition assigner, reads in
 * read-committed mode from `fromOffset`, and stops at the partition's end.
 *
 * The end is the high watermark seen by the first fetch (the log end when the
 * call began, give or take the join), not the last stable offset that
 * kafkajs's admin client reports: right after a transaction commits, its
 * markers reach the partitions a few milliseconds later, and an LSO-based end
 * would miss records whose `commit()` had already resolved. The reader waits
 * for those markers (the broker holds a read-committed fetch until the LSO
 * moves). Records of a transaction still open at that point are waited for
 * (up to the transaction timeout); once fenced, as in the engine's restore,
 * there are none. The position is checked after every batch, counting the
 * control and aborted records kafkajs filters out and never delivers, so a
 * partition ending with a commit marker ends the read.
 *
 * A partition with nothing readable is recognised by one fetch (which waits up
 * to `maxWaitTimeMs`) that returns no batch for it.
 *
 * Cost: one group join. On brokers with the default
 * `group.initial.rebalance.delay.ms` (3 s) a new group's first join waits that
 * long; deploy/kafka sets it to 0.
 */
/** How often a watermark read is tried again when kafkajs trips over metadata it does not have yet. */
const OFFSETS_ATTEMPTS = 10;
const OFFSETS_RETRY_MS = 100;

/** The partition's log start (low watermark) and end (high watermark). */
export async function kafkaPartitionOffsets(
  admin: Admin,
  topic: string,
  partition: number,
): Promise<PartitionOffsets> {
  const bounds = (await fetchTopicOffsets(admin, topic)).find((entry) => entry.partition === partition);
  if (!bounds) throw new Error(`Kafka topic ${topic} has no partition ${partition}`);
  return { start: Number(bounds.low), end: Number(bounds.high) };
}

/**
 * `admin.fetchTopicOffsets`, tried again on a TypeError: kafkajs 2.2 throws
 * one ("Cannot destructure property 'partitions' of 'low.pop(...)'") when the
 * offsets answer lists no partition, as it can while a topic's metadata is
 * still reaching the broker it asks (seen right after topics were created).
 */
async function fetchTopicOffsets(admin: Admin, topic: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error instanceof TypeError) || attempt >= OFFSETS_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, OFFSETS_RETRY_MS));
    }
  }
}

export async function* readKafkaPartition(
  kafka: Kafka,
  admin: Admin,
  config: ResolvedKafkaOptions,
  topic: string,
  partition: number,
  fromOffset = 0,
): AsyncGenerator<LogRecord> {
  const bounds = await kafkaPartitionOffsets(admin, topic, partition);
  const start = Math.max(fromOffset, bounds.start);
  let end = bounds.end; // raised to the high watermark by the first batch
  let sawBatch = false;
  let position = start;
  let fetches = 0;
  let dataInLastFetch = false;

  const channel = new BatchChannel<LogRecord>();
  const consumer = kafka.consumer({
    groupId: `baton-read-${topic}-${partition}-${randomUUID()}`,
    partitionAssigners: [onlyPartition(topic, partition)],
    readUncommitted: false,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: config.heartbeatIntervalMs,
    maxWaitTimeInMs: config.maxWaitTimeMs,
    allowAutoTopicCreation: false,
  });
  const { GROUP_JOIN, FETCH_START, START_BATCH_PROCESS, END_BATCH_PROCESS, CRASH } = consumer.events;
  // Every join, the first and any after kafkajs restarted a crashed consumer, resumes at
  // the next record not yet handed over: the group never commits, so it would start over.
  consumer.on(GROUP_JOIN, () => consumer.seek({ topic, partition, offset: String(position) }));
  consumer.on(FETCH_START, () => {
    // The previous fetch's batches have all been handled when the next one starts.
    if (fetches > 0 && !dataInLastFetch && position >= end) channel.end();
    fetches += 1;
    dataInLastFetch = false;
  });
  consumer.on(START_BATCH_PROCESS, ({ payload }) => {
    if (payload.partition !== partition) return;
    dataInLastFetch = true;
    if (!sawBatch) end = Math.max(end, Number(payload.highWatermark));
    sawBatch = true;
  });
  consumer.on(END_BATCH_PROCESS, ({ payload }) => {
    if (payload.partition !== partition) return;
    position = Math.max(position, Number(payload.lastOffset) + 1);
    if (position >= end) channel.end();
  });
  // A retriable crash (the coordinator still loading after a broker start) is restarted by
  // kafkajs; only one it gives up on ends the read.
  consumer.on(CRASH, ({ payload }) => {
    if (!payload.restart) channel.fail(payload.error);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const records = batch.messages
          .filter((message) => {
            const offset = Number(message.offset);
            return offset >= position && offset < end;
          })
          .map((message) => toLogRecord(topic, partition, message));
        if (records.length === 0) return;
        await channel.push(records);
        position = Math.max(position, records[records.length - 1].offset + 1);
      },
    });
    yield* channel;
  } finally {
    // Releases a batch handler still waiting on the channel, or stop() would wait for it forever.
    channel.close();
    await consumer.disconnect();
  }
}

/** Assigns exactly one partition to the group's (only) member. */
function onlyPartition(topic: string, partition: number): PartitionAssigner {
  return () => ({
    name: 'BatonOnePartition',
    version: 1,
    protocol: ({ topics }) => ({
      name: 'BatonOnePartition',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    }),
    assign: async ({ members }) =>
      members.map(({ memberId }, index) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: index === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      })),
  });
}

/**
 * Hands batches from the consumer to the reader one at a time: `push`
 * resolves when the reader takes the batch, so at most one batch waits in
 * memory however slowly the reader goes.
 */
class BatchChannel<T> {
  private readonly items: { values: readonly T[]; taken: () => void }[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private failure: { error: unknown } | null = null;

  push(values: readonly T[]): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((taken) => {
      this.items.push({ values, taken });
      this.signal();
    });
  }

  end(): void {
    this.finished = true;
    this.signal();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.end();
  }

  close(): void {
    this.finished = true;
    for (const item of this.items.splice(0)) item.taken();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item) {
        item.taken();
        yield* item.values;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
