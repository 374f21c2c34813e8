import {
  ProducerFencedError,
  type Batch,
  type Consumer,
  type ConsumerOptions,
  type EventLog,
  type LogRecord,
  type OutgoingRecord,
} from './event-log.port';
import { partitionForKey } from './partitioner';
import { ConsumerJournal } from './testing/consumer-journal';
import { DeliveryTracker } from './testing/delivery-tracker';
import { uniqueName } from './testing/unique-name';
import { waitUntil, withTimeout } from './testing/wait-until';

/** Per test: generous for a real broker, where a group join alone takes 1-3 s. */
const TEST_TIMEOUT_MS = 40_000;

/**
 * The behaviour every `EventLog` adapter must show, as one jest `describe`
 * block. An adapter's spec calls it with a factory for a fresh, connected log:
 *
 * @example
 *   describeEventLogContract('embedded', () => EmbeddedEventLog.open({ dir: freshTempDir() }));
 *
 * Tests share nothing: topic, group and transactional-id names are unique per
 * test, so the suite can run against a long-lived broker; every wait is a
 * bounded poll; everything a test opens is closed in `afterEach`.
 */
export function describeEventLogContract(adapterName: string, createLog: () => Promise<EventLog>): void {
  describe(`EventLog contract: ${adapterName}`, () => {
    let log: EventLog;
    let cleanups: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      log = await createLog();
      cleanups = [];
    });

    afterEach(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      await log.close();
    });

    async function topic(partitions: number, compacted = false): Promise<string> {
      const name = uniqueName('contract');
      await log.ensureTopics([{ name, partitions, compacted }]);
      return name;
    }

    async function send(records: readonly OutgoingRecord[]): Promise<void> {
      const producer = await log.producer();
      try {
        await producer.send(records);
      } finally {
        await producer.close();
      }
    }

    /** A consumer stopped after the test; not started, so handlers can refer to it before the first batch. */
    function createConsumer(options: ConsumerOptions): Consumer {
      const consumer = log.consumer(options);
      cleanups.push(() => consumer.stop());
      return consumer;
    }

    async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
      const consumer = createConsumer(options);
      await consumer.start();
      return consumer;
    }

    async function startMember(
      groupId: string,
      name: string,
      journal: ConsumerJournal,
      tracker: DeliveryTracker,
    ) {
      const consumer = createConsumer(committingMember(groupId, name, journal, tracker));
      tracker.attach(consumer);
      await consumer.start();
    }

    async function readAll(name: string, partition: number, fromOffset?: number): Promise<LogRecord[]> {
      const records: LogRecord[] = [];
      for await (const record of log.readPartition(name, partition, fromOffset)) records.push(record);
      return records;
    }

    async function readTopic(name: string): Promise<LogRecord[]> {
      const partitions = await log.partitionCount(name);
      const all: LogRecord[] = [];
      for (let partition = 0; partition < partitions; partition += 1)
        all.push(...(await readAll(name, partition)));
      return all;
    }

    /** A consumer that commits after each batch and reports re-deliveries of committed records. */
    function committingMember(
      groupId: string,
      name: string,
      journal: ConsumerJournal,
      tracker: DeliveryTracker,
    ) {
      return {
        groupId,
        topics: [name],
        ...journal.hooks(tracker.member),
        eachBatch: async (batch: Batch) => {
          journal.batch(tracker.member, batch);
          tracker.delivered(batch);
          const next = batch.records[batch.records.length - 1].offset + 1;
          await tracker.consumer().commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          tracker.committed(batch, next);
        },
      };
    }

    it(
      'delivers the records of one key in the order they were sent, from the partition partitionForKey picks',
      async () => {
        const name = await topic(3);
        const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
        for (let round = 0; round < 10; round += 1) {
          await send(keys.map((key) => ({ topic: name, key, value: `${key}:${round}` })));
        }
        const received: LogRecord[] = [];
        await startConsumer({
          groupId: uniqueName('order'),
          topics: [name],
          eachBatch: async (batch) => void received.push(...batch.records),
        });
        await waitUntil(() => received.length >= 60, {
          message: '60 records',
          describe: () => `${received.length}`,
        });

        for (const key of keys) {
          const ofKey = received.filter((record) => record.key === key);
          expect(ofKey.map((record) => record.value)).toEqual(
            Array.from({ length: 10 }, (_, round) => `${key}:${round}`),
          );
          expect(new Set(ofKey.map((record) => record.partition))).toEqual(
            new Set([partitionForKey(key, 3)]),
          );
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'spreads keys over every partition, with increasing offsets in each',
      async () => {
        const name = await topic(4);
        const keys = Array.from({ length: 64 }, (_, index) => `run-${index}`);
        await send(keys.map((key) => ({ topic: name, key, value: key, headers: { source: 'contract' } })));

        const byPartition = await Promise.all([0, 1, 2, 3].map((partition) => readAll(name, partition)));
        expect(byPartition.every((records) => records.length > 0)).toBe(true);
        expect(
          byPartition
            .flat()
            .map((record) => record.key)
            .sort(),
        ).toEqual([...keys].sort());
        byPartition.forEach((records, partition) => {
          for (const record of records) {
            expect(record).toMatchObject({
              topic: name,
              partition,
              value: record.key,
              headers: { source: 'contract' },
            });
            expect(record.partition).toBe(partitionForKey(record.key, 4));
            expect(typeof record.timestamp).toBe('number');
          }
          const offsets = records.map((record) => record.offset);
          expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
          expect(new Set(offsets).size).toBe(offsets.length);
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'reads a partition from a given offset up to its end',
      async () => {
        const name = await topic(1);
        await send(['a', 'b', 'c', 'd', 'e'].map((value) => ({ topic: name, key: 'k', value })));
        const all = await readAll(name, 0);
        expect(all.map((record) => record.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
        const tail = await readAll(name, 0, all[2].offset);
        expect(tail.map((record) => record.value)).toEqual(['c', 'd', 'e']);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "reports a partition's log start and end offsets",
      async () => {
        const name = await topic(2);
        const partition = partitionForKey('k', 2);
        await send(['a', 'b', 'c'].map((value) => ({ topic: name, key: 'k', value })));
        expect(await log.partitionOffsets(name, 1 - partition)).toEqual({ start: 0, end: 0 });
        const records = await readAll(name, partition);
        expect(await log.partitionOffsets(name, partition)).toEqual({
          start: 0,
          end: records[records.length - 1].offset + 1,
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'returns at once from readPartition on an empty partition',
      async () => {
        const name = await topic(3);
        const started = Date.now();
        const records = await withTimeout(readAll(name, 1), 10_000, 'readPartition of an empty partition');
        expect(records).toEqual([]);
        expect(Date.now() - started).toBeLessThan(10_000);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'calls onAssigned before the first batch of a partition and onRevoked after its last one on stop',
      async () => {
        const name = await topic(2);
        await send(
          Array.from({ length: 10 }, (_, index) => ({ topic: name, key: `key-${index}`, value: `${index}` })),
        );
        const journal = new ConsumerJournal();
        let delivered = 0;
        const consumer = await startConsumer({
          groupId: uniqueName('hooks'),
          topics: [name],
          ...journal.hooks('only'),
          eachBatch: async (batch) => {
            journal.batch('only', batch);
            delivered += batch.records.length;
          },
        });
        await waitUntil(() => delivered >= 10, { message: '10 records' });
        expect(sortedKeys(consumer.assignment())).toEqual([`${name}/0`, `${name}/1`]);
        await consumer.stop();

        expect(journal.problems()).toEqual([]);
        expect(journal.entries[0].kind).toBe('assigned');
        const last = journal.entries[journal.entries.length - 1];
        expect(last.kind).toBe('revoked');
        expect(journal.owned('only').size).toBe(0);
        expect(consumer.assignment()).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'rebalances when a second member joins: nothing is lost and nothing committed is delivered again',
      async () => {
        const name = await topic(4);
        const groupId = uniqueName('join');
        const journal = new ConsumerJournal();
        const first = new DeliveryTracker('first');
        const second = new DeliveryTracker('second', first.commits);
        await startMember(groupId, name, journal, first);
        await send(batchOf(name, 'before', 40));
        await waitUntil(() => first.processed.size >= 40, {
          message: '40 records processed by the first member',
        });

        await startMember(groupId, name, journal, second);
        await waitUntil(
          () =>
            second.consumer().assignment().length > 0 &&
            first.consumer().assignment().length + second.consumer().assignment().length === 4,
          { message: 'both members to share the four partitions', timeoutMs: 30_000 },
        );
        await send(batchOf(name, 'after', 40));
        const processed = () => new Set([...first.processed, ...second.processed]);
        await waitUntil(() => processed().size >= 80, {
          message: '80 records processed',
          describe: () => `${processed().size}`,
        });

        expect(sortedValues(first, second)).toEqual([...values('before', 40), ...values('after', 40)].sort());
        expect([...first.violations, ...second.violations]).toEqual([]);
        expect(second.processed.size).toBeGreaterThan(0);
        expect(journal.problems()).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'rebalances when a member leaves: it gets onRevoked and the rest resume from its committed offsets',
      async () => {
        const name = await topic(4);
        const groupId = uniqueName('leave');
        const journal = new ConsumerJournal();
        const stayer = new DeliveryTracker('stayer');
        const leaver = new DeliveryTracker('leaver', stayer.commits);
        await startMember(groupId, name, journal, stayer);
        await startMember(groupId, name, journal, leaver);
        await waitUntil(
          () =>
            leaver.consumer().assignment().length > 0 &&
            stayer.consumer().assignment().length + leaver.consumer().assignment().length === 4,
          { message: 'both members to share the four partitions', timeoutMs: 30_000 },
        );
        await send(batchOf(name, 'before', 40));
        const processed = () => new Set([...stayer.processed, ...leaver.processed]);
        await waitUntil(() => processed().size >= 40, { message: '40 records processed' });
        const leaverOwned = sortedKeys(leaver.consumer().assignment());

        await leaver.consumer().stop();
        const revoked = journal.entries.filter(
          (entry) => entry.member === 'leaver' && entry.kind === 'revoked',
        );
        expect(revoked.length).toBeGreaterThan(0);
        expect(journal.owned('leaver').size).toBe(0);
        expect(leaverOwned.length).toBeGreaterThan(0);
        await waitUntil(() => stayer.consumer().assignment().length === 4, {
          message: 'the remaining member to own all four partitions',
          timeoutMs: 30_000,
        });
        await send(batchOf(name, 'after', 40));
        await waitUntil(() => processed().size >= 80, {
          message: '80 records processed',
          describe: () => `${processed().size}`,
        });

        expect(sortedValues(stayer, leaver)).toEqual(
          [...values('before', 40), ...values('after', 40)].sort(),
        );
        expect([...stayer.violations, ...leaver.violations]).toEqual([]);
        expect(journal.problems()).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'makes an aborted transaction invisible and leaves its offset uncommitted',
      async () => {
        const input = await topic(1);
        const output = await topic(1);
        const groupId = uniqueName('abort');
        await send(['i0', 'i1', 'i2'].map((value) => ({ topic: input, key: 'k', value })));
        const inputOffsets = (await readAll(input, 0)).map((record) => record.offset);

        const producer = await log.transactionalProducer(uniqueName('tx-abort'));
        cleanups.push(() => producer.close());
        await producer.abortAfterWriting({
          records: [
            { topic: output, key: 'k', value: 'aborted-1' },
            { topic: output, key: 'k', value: 'aborted-2' },
          ],
          offsets: { groupId, topic: input, partition: 0, offset: inputOffsets[2] + 1 },
        });
        await producer.commit({ records: [{ topic: output, key: 'k', value: 'marker' }] });

        const seen: string[] = [];
        await startConsumer({
          groupId: uniqueName('abort-reader'),
          topics: [output],
          eachBatch: async (batch) => void seen.push(...batch.records.map((record) => String(record.value))),
        });
        await waitUntil(() => seen.includes('marker'), { message: 'the marker record' });
        expect(seen).toEqual(['marker']);
        expect((await readAll(output, 0)).map((record) => record.value)).toEqual(['marker']);

        const firstOffsets = await firstDelivery(groupId, input);
        expect(firstOffsets[0]).toBe(inputOffsets[0]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'makes a committed transaction fully visible: records on two topics and the offset',
      async () => {
        const input = await topic(1);
        const left = await topic(2);
        const right = await topic(2);
        const groupId = uniqueName('commit');
        await send(['i0', 'i1', 'i2'].map((value) => ({ topic: input, key: 'k', value })));
        const inputOffsets = (await readAll(input, 0)).map((record) => record.offset);

        const producer = await log.transactionalProducer(uniqueName('tx-commit'));
        cleanups.push(() => producer.close());
        await producer.commit({
          records: [
            { topic: left, key: 'run-1', value: 'left', headers: { type: 'RunStarted' } },
            { topic: right, key: 'run-2', value: 'right' },
          ],
          offsets: [{ groupId, topic: input, partition: 0, offset: inputOffsets[2] }],
        });

        await waitUntil(async () => (await readAll(left, partitionForKey('run-1', 2))).length > 0, {
          message: 'the committed record on the first topic',
        });
        const leftRecords = await readAll(left, partitionForKey('run-1', 2));
        expect(leftRecords.map((record) => [record.key, record.value, record.headers])).toEqual([
          ['run-1', 'left', { type: 'RunStarted' }],
        ]);
        const rightRecords = await readAll(right, partitionForKey('run-2', 2));
        expect(rightRecords.map((record) => record.value)).toEqual(['right']);
        const firstOffsets = await firstDelivery(groupId, input);
        expect(firstOffsets[0]).toBe(inputOffsets[2]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'fences a zombie producer: its commit fails with ProducerFencedError and nothing it wrote is visible',
      async () => {
        const input = await topic(1);
        const output = await topic(1);
        const groupId = uniqueName('fence');
        const transactionalId = uniqueName('tx-fence');
        await send(['i0', 'i1'].map((value) => ({ topic: input, key: 'k', value })));
        const inputOffsets = (await readAll(input, 0)).map((record) => record.offset);

        const zombie = await log.transactionalProducer(transactionalId);
        cleanups.push(() => zombie.close());
        await zombie.commit({ records: [{ topic: output, key: 'k', value: 'before-fencing' }] });
        const successor = await log.transactionalProducer(transactionalId);
        cleanups.push(() => successor.close());

        await expect(
          zombie.commit({
            records: [{ topic: output, key: 'k', value: 'zombie' }],
            offsets: { groupId, topic: input, partition: 0, offset: inputOffsets[1] + 1 },
          }),
        ).rejects.toBeInstanceOf(ProducerFencedError);
        await successor.commit({ records: [{ topic: output, key: 'k', value: 'successor' }] });
        await waitUntil(
          async () => (await readAll(output, 0)).some((record) => record.value === 'successor'),
          {
            message: "the successor's record",
          },
        );
        expect((await readAll(output, 0)).map((record) => record.value)).toEqual([
          'before-fencing',
          'successor',
        ]);
        const firstOffsets = await firstDelivery(groupId, input);
        expect(firstOffsets[0]).toBe(inputOffsets[0]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'restores a compacted topic with readPartition: the latest value per key, tombstones deleting keys',
      async () => {
        const name = await topic(2, true);
        await send([
          { topic: name, key: 'run-1', value: 'v1' },
          { topic: name, key: 'run-2', value: 'v1' },
          { topic: name, key: 'run-3', value: 'v1' },
        ]);
        await send([{ topic: name, key: 'run-1', value: 'v2' }]);
        await send([
          { topic: name, key: 'run-2', value: null },
          { topic: name, key: 'run-3', value: 'v2' },
        ]);
        await send([{ topic: name, key: 'run-1', value: 'v3' }]);

        const state = new Map<string, string>();
        for (const record of await readTopic(name)) {
          if (record.value === null) state.delete(record.key);
          else state.set(record.key, record.value);
        }
        expect(Object.fromEntries(state)).toEqual({ 'run-1': 'v3', 'run-3': 'v2' });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      're-delivers a batch from the committed offset after the handler throws',
      async () => {
        const name = await topic(1);
        await send(['a', 'b'].map((value) => ({ topic: name, key: 'k', value })));
        const deliveries: Array<{ values: string[]; failed: boolean }> = [];
        let failOnce = true;
        const consumer = createConsumer({
          groupId: uniqueName('retry'),
          topics: [name],
          eachBatch: async (batch) => {
            const values = batch.records.map((record) => String(record.value));
            const fail = failOnce && values.includes('c');
            deliveries.push({ values, failed: fail });
            if (fail) {
              failOnce = false;
              throw new Error('handler failure on purpose (contract test)');
            }
            const next = batch.records[batch.records.length - 1].offset + 1;
            await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          },
        });
        await consumer.start();
        await waitUntil(() => deliveries.flatMap((delivery) => delivery.values).includes('b'), {
          message: 'a and b',
        });
        await send(['c', 'd'].map((value) => ({ topic: name, key: 'k', value })));
        const succeeded = () =>
          deliveries.filter((delivery) => !delivery.failed).flatMap((delivery) => delivery.values);
        await waitUntil(() => succeeded().includes('d'), { message: 'c and d handled after the failure' });

        const failedAt = deliveries.findIndex((delivery) => delivery.failed);
        expect(deliveries[failedAt].values[0]).toBe('c');
        expect(deliveries[failedAt + 1].values[0]).toBe('c');
        expect(succeeded()).toEqual(['a', 'b', 'c', 'd']);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "starts a group with no committed offset at the end of the partition when startFrom is 'latest'",
      async () => {
        const name = await topic(1);
        await send(['old-1', 'old-2'].map((value) => ({ topic: name, key: 'k', value })));
        const seen: string[] = [];
        await startConsumer({
          groupId: uniqueName('latest'),
          topics: [name],
          startFrom: 'latest',
          eachBatch: async (batch) => void seen.push(...batch.records.map((record) => String(record.value))),
        });
        // The broker resolves 'latest' some time after the join: keep writing until a new record arrives.
        let written = 0;
        await waitUntil(
          async () => {
            if (seen.some((value) => value.startsWith('new-'))) return true;
            await send([{ topic: name, key: 'k', value: `new-${written++}` }]);
            return false;
          },
          { message: 'a record written after the start', intervalMs: 250 },
        );
        expect(seen.filter((value) => value.startsWith('old-'))).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    /** Offsets of the first batch a fresh member of `groupId` gets from the single-partition `name`. */
    async function firstDelivery(groupId: string, name: string): Promise<number[]> {
      const batches: number[][] = [];
      const consumer = await startConsumer({
        groupId,
        topics: [name],
        eachBatch: async (batch) => void batches.push(batch.records.map((record) => record.offset)),
      });
      await waitUntil(() => batches.length > 0, { message: `a batch of ${name} for ${groupId}` });
      await consumer.stop();
      return batches[0];
    }
  });
}

function batchOf(topic: string, prefix: string, count: number): OutgoingRecord[] {
  return values(prefix, count).map((value) => ({ topic, key: value, value }));
}

function values(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
}

function sortedValues(...trackers: DeliveryTracker[]): string[] {
  return [...new Set(trackers.flatMap((tracker) => tracker.values))].sort();
}

function sortedKeys(partitions: readonly { topic: string; partition: number }[]): string[] {
  return partitions.map(({ topic, partition }) => `${topic}/${partition}`).sort();
}
