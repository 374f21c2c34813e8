import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import {
  ProducerFencedError,
  type Batch,
  type EventLog,
  type LogRecord,
  type TopicPartition,
} from '../event-log.port';
import { describeEventLogContract } from '../event-log.contract';
import { partitionForKey } from '../partitioner';
import { testKafkaBrokers } from '../testing/test-brokers';
import { KafkaEventLog } from './kafka-event-log';
import type { KafkaEventLogOptions } from './kafka-options';

// Against the real broker of deploy/kafka (or BATON_KAFKA_BROKERS). Every test
// uses its own topics and groups, so one broker serves all of them.
jest.setTimeout(60_000);

const options: KafkaEventLogOptions = {
  brokers: testKafkaBrokers(),
  clientId: 'baton-int',
  sessionTimeoutMs: 6_000,
  retryBackoffMs: 200,
};
const connect = () => KafkaEventLog.connect(options);

let sut: EventLog;
const logs: EventLog[] = [];

beforeAll(async () => {
  try {
    sut = await connect();
  } catch (error) {
    throw new Error(
      `No Kafka broker answers at ${process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092'}; ` +
        `start it with deploy/kafka/kafka.sh start. (${(error as Error).message})`,
    );
  }
  logs.push(sut);
});

afterAll(async () => {
  await Promise.all(logs.map((log) => log.close()));
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function anotherLog(): Promise<EventLog> {
  const log = await connect();
  logs.push(log);
  return log;
}

async function readAll(log: EventLog, topic: string, partition: number, from?: number): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of log.readPartition(topic, partition, from)) records.push(record);
  return records;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function cleanupPolicy(topic: string): Promise<string | undefined> {
  const brokers = (process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    return resources[0].configEntries.find((entry) => entry.configName === 'cleanup.policy')?.configValue;
  } finally {
    await admin.disconnect();
  }
}

const values = (records: readonly LogRecord[]) => records.map((record) => record.value);

describe('KafkaEventLog against a real broker', () => {
  describe('topics', () => {
    it('creates topics once, reports partition counts and makes compacted topics compacted', async () => {
      const plain = unique('topics-plain');
      const compacted = unique('topics-compacted');
      const specs = [
        { name: plain, partitions: 3 },
        { name: compacted, partitions: 2, compacted: true },
      ];

      await sut.ensureTopics(specs);
      await sut.ensureTopics([...specs, { name: unique('topics-third'), partitions: 1 }]);

      expect(await sut.partitionCount(plain)).toBe(3);
      expect(await sut.partitionCount(compacted)).toBe(2);
      await expect(sut.partitionCount(unique('missing'))).rejects.toThrow(/does not exist/);
      expect(await cleanupPolicy(compacted)).toBe('compact');
      expect(await cleanupPolicy(plain)).toBe('delete');
    });
  });

  describe('plain producer', () => {
    it('routes every key with partitionForKey, keeps per-key order, and round-trips headers and tombstones', async () => {
      const topic = unique('produce');
      await sut.ensureTopics([{ name: topic, partitions: 4 }]);
      const producer = await sut.producer();
      const keys = Array.from({ length: 20 }, (_, index) => `run-${index}`);

      for (let round = 0; round < 3; round += 1) {
        await producer.send(
          keys.map((key) => ({ topic, key, value: `${key}:${round}`, headers: { round: String(round) } })),
        );
      }
      await producer.send([{ topic, key: 'run-0', value: null }]);

      const byPartition = await Promise.all([0, 1, 2, 3].map((partition) => readAll(sut, topic, partition)));
      expect(byPartition.filter((records) => records.length > 0).length).toBeGreaterThan(1);
      for (const [partition, records] of byPartition.entries()) {
        for (const record of records) expect(partitionForKey(record.key, 4)).toBe(partition);
      }
      const all = byPartition.flat();
      expect(all).toHaveLength(61);
      for (const key of ['run-3', 'run-7']) {
        const own = all.filter((record) => record.key === key);
        expect(values(own)).toEqual([`${key}:0`, `${key}:1`, `${key}:2`]);
        expect(own.map((record) => record.headers)).toEqual([{ round: '0' }, { round: '1' }, { round: '2' }]);
      }
      const last = all.filter((record) => record.key === 'run-0').at(-1);
      expect(last?.value).toBeNull();
      expect(last?.timestamp).toBeGreaterThan(Date.now() - 60_000);
    });
  });

  describe('transactions', () => {
    it('makes committed records visible and commits the consumed offset with them', async () => {
      const input = unique('tx-in');
      const output = unique('tx-out');
      const groupId = unique('tx-group');
      await sut.ensureTopics([
        { name: input, partitions: 1 },
        { name: output, partitions: 1 },
      ]);
      const tx = await sut.transactionalProducer(unique('tx'));

      await tx.commit({
        records: [
          { topic: output, key: 'a', value: '1' },
          { topic: output, key: 'b', value: '2' },
        ],
        offsets: { groupId, topic: input, partition: 0, offset: 7 },
      });

      expect(values(await readAll(sut, output, 0))).toEqual(['1', '2']);
      const delivered: Batch[] = [];
      const consumer = sut.consumer({
        groupId,
        topics: [input],
        eachBatch: async (batch) => void delivered.push(batch),
      });
      const producer = await sut.producer();
      await producer.send(
        Array.from({ length: 9 }, (_, index) => ({ topic: input, key: 'k', value: String(index) })),
      );
      await consumer.start();
      await waitFor(
        'records after the committed offset',
        () => delivered.flatMap((b) => b.records).length >= 2,
      );
      await consumer.stop();
      expect(delivered.flatMap((batch) => batch.records).map((record) => record.offset)).toEqual([7, 8]);
    });

    it('hides aborted records and does not move offsets of an aborted transaction', async () => {
      const topic = unique('abort');
      const groupId = unique('abort-group');
      await sut.ensureTopics([{ name: topic, partitions: 1 }]);
      const tx = await sut.transactionalProducer(unique('tx'));

      await tx.commit({ records: [{ topic, key: 'k', value: 'before' }] });
      await tx.abortAfterWriting({
        records: [{ topic, key: 'k', value: 'aborted' }],
        offsets: { groupId, topic, partition: 0, offset: 1 },
      });
      await tx.commit({ records: [{ topic, key: 'k', value: 'after' }] });

      expect(values(await readAll(sut, topic, 0))).toEqual(['before', 'after']);
      const seen: LogRecord[] = [];
      const consumer = sut.consumer({
        groupId,
        topics: [topic],
        eachBatch: async ({ records }) => void seen.push(...records),
      });
      await consumer.start();
      await waitFor('both committed records', () => seen.length >= 2);
      await consumer.stop();
      expect(values(seen)).toEqual(['before', 'after']);
    });

    it('fences the earlier owner of a transactional id: its commit fails and writes nothing', async () => {
      const topic = unique('fence');
      const id = unique('tx-fenced');
      await sut.ensureTopics([{ name: topic, partitions: 1 }]);
      const zombie = await sut.transactionalProducer(id);
      await zombie.commit({ records: [{ topic, key: 'k', value: 'zombie-1' }] });

      const owner = await (await anotherLog()).transactionalProducer(id);
      const failed = zombie.commit({ records: [{ topic, key: 'k', value: 'zombie-2' }] });

      await expect(failed).rejects.toBeInstanceOf(ProducerFencedError);
      await expect(zombie.commit({ records: [] })).rejects.toBeInstanceOf(ProducerFencedError);
      await owner.commit({ records: [{ topic, key: 'k', value: 'owner-1' }] });
      expect(values(await readAll(sut, topic, 0))).toEqual(['zombie-1', 'owner-1']);
    });
  });

  describe('consumer group', () => {
    it('assigns before delivering, spreads partitions over members, rebalances on join and leave', async () => {
      const topic = unique('group');
      const groupId = unique('group');
      await sut.ensureTopics([{ name: topic, partitions: 4 }]);
      const events: string[] = [];
      const owned = new Map<string, Set<number>>();
      const member = (name: string, log: EventLog) => {
        owned.set(name, new Set());
        return log.consumer({
          groupId,
          topics: [topic],
          onAssigned: async (partitions: readonly TopicPartition[]) => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            for (const { partition } of partitions) owned.get(name)?.add(partition);
            events.push(`${name} assigned ${partitions.map((tp) => tp.partition).join(',')}`);
          },
          onRevoked: async (partitions: readonly TopicPartition[]) => {
            for (const { partition } of partitions) owned.get(name)?.delete(partition);
            events.push(`${name} revoked ${partitions.map((tp) => tp.partition).join(',')}`);
          },
          eachBatch: async ({ partition }) => {
            if (!owned.get(name)?.has(partition)) events.push(`${name} got ${partition} before onAssigned`);
          },
        });
      };
      const producer = await sut.producer();
      await producer.send(
        Array.from({ length: 40 }, (_, index) => ({ topic, key: `k${index}`, value: 'v' })),
      );

      const first = member('first', sut);
      await first.start();
      await waitFor('first to own all', () => owned.get('first')?.size === 4);
      const second = member('second', await anotherLog());
      await second.start();
      await waitFor('a split', () => owned.get('first')?.size === 2 && owned.get('second')?.size === 2);
      expect(new Set([...first.assignment(), ...second.assignment()].map((tp) => tp.partition)).size).toBe(4);

      await second.stop();
      expect(owned.get('second')?.size).toBe(0);
      await waitFor('first to own all again', () => owned.get('first')?.size === 4);
      await first.stop();

      expect(events.filter((event) => event.includes('before onAssigned'))).toEqual([]);
      expect(events.filter((event) => event.startsWith('first revoked'))).toHaveLength(2);
    });

    it('re-delivers from the last committed offset after the handler throws, and keeps other partitions going', async () => {
      const topic = unique('retry');
      const groupId = unique('retry');
      await sut.ensureTopics([{ name: topic, partitions: 2 }]);
      const keyOn = (partition: number) =>
        Array.from({ length: 100 }, (_, index) => `key-${index}`).find(
          (key) => partitionForKey(key, 2) === partition,
        )!;
      const producer = await sut.producer();
      await producer.send(['a', 'b', 'c'].map((value) => ({ topic, key: keyOn(0), value })));
      await producer.send([{ topic, key: keyOn(1), value: 'other' }]);
      const seen: string[] = [];
      let failuresLeft = 2;
      // Its own log, silent: the adapter reports every handler failure at ERROR level.
      const quiet = await KafkaEventLog.connect({ ...options, logLevel: 'nothing' });
      logs.push(quiet);
      const consumer = quiet.consumer({
        groupId,
        topics: [topic],
        eachBatch: async ({ partition, records }) => {
          for (const record of records) {
            if (record.value === 'b' && failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('handler failure (expected by the test)');
            }
            seen.push(`${partition}:${record.value}`);
            await consumer.commit([{ topic, partition, offset: record.offset + 1 }]);
          }
        },
      });

      await consumer.start();
      await waitFor('every record once handled', () => seen.includes('0:c') && seen.includes('1:other'));
      await consumer.stop();

      expect(seen.filter((entry) => entry.startsWith('0:'))).toEqual(['0:a', '0:b', '0:c']);
      expect(seen.filter((entry) => entry === '1:other')).toHaveLength(1);
    });

    it('starts from the end with startFrom latest and resumes from committed offsets', async () => {
      const topic = unique('latest');
      const groupId = unique('latest');
      await sut.ensureTopics([{ name: topic, partitions: 1 }]);
      const producer = await sut.producer();
      await producer.send([{ topic, key: 'k', value: 'old' }]);
      const seen: string[] = [];
      const make = () =>
        sut.consumer({
          groupId,
          topics: [topic],
          startFrom: 'latest',
          eachBatch: async ({ records }) => {
            seen.push(...records.map((record) => record.value ?? 'null'));
            await consumer.commit([{ topic, partition: 0, offset: records[records.length - 1].offset + 1 }]);
          },
        });
      let consumer = make();
      await consumer.start();
      await waitFor('the assignment', () => consumer.assignment().length === 1);
      await producer.send([{ topic, key: 'k', value: 'new-1' }]);
      await waitFor('new-1', () => seen.includes('new-1'));
      await consumer.stop();

      await producer.send([{ topic, key: 'k', value: 'new-2' }]);
      consumer = make();
      await consumer.start();
      await waitFor('new-2', () => seen.includes('new-2'));
      await consumer.stop();
      expect(seen).toEqual(['new-1', 'new-2']);
    });
  });

  describe('readPartition', () => {
    it('returns at once for an empty partition', async () => {
      const topic = unique('read-empty');
      await sut.ensureTopics([{ name: topic, partitions: 2 }]);
      const started = Date.now();
      expect(await readAll(sut, topic, 1)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('reads committed records from an offset to the end as of the call, past commit markers and aborted records', async () => {
      const topic = unique('read-tx');
      await sut.ensureTopics([{ name: topic, partitions: 1, compacted: true }]);
      const tx = await sut.transactionalProducer(unique('tx'));
      await tx.commit({ records: [{ topic, key: 'a', value: 'a1' }] });
      await tx.abortAfterWriting({ records: [{ topic, key: 'a', value: 'aborted' }] });
      await tx.commit({
        records: [
          { topic, key: 'b', value: 'b1' },
          { topic, key: 'a', value: null },
        ],
      });

      const all = await readAll(sut, topic, 0);
      expect(all.map((record) => [record.key, record.value])).toEqual([
        ['a', 'a1'],
        ['b', 'b1'],
        ['a', null],
      ]);
      const fromSecond = await readAll(sut, topic, 0, all[1].offset);
      expect(values(fromSecond)).toEqual(['b1', null]);
      const restored = new Map<string, string>();
      for (const { key, value } of all) {
        if (value === null) restored.delete(key);
        else restored.set(key, value);
      }
      expect([...restored]).toEqual([['b', 'b1']]);
    });
  });
});

// The same contract the embedded adapter passes, unchanged, against the real broker.
// (The suite closes each log it opens.)
describeEventLogContract('kafka', connect);
