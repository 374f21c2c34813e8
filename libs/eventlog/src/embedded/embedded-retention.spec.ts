import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Batch, LogRecord } from '../event-log.port';
import { partitionForKey } from '../partitioner';
import { tempDirs } from '../testing/temp-dirs';
import { waitUntil } from '../testing/wait-until';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';
import { trimStep } from './retention';

const TAIL = 5;
const STEP = trimStep(TAIL);
const quiet = { onWarning: () => undefined };
const freshDir = tempDirs('baton-retention-');

/** A key of `topic`'s partition `partition` out of `partitions`. */
function keyOf(partition: number, partitions: number): string {
  for (let index = 0; ; index += 1) {
    if (partitionForKey(`key-${index}`, partitions) === partition) return `key-${index}`;
  }
}

async function readFrom(
  log: EmbeddedEventLog,
  topic: string,
  partition: number,
  from = 0,
): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of log.readPartition(topic, partition, from)) records.push(record);
  return records;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
}

async function send(log: EmbeddedEventLog, topic: string, count: number, key = 'k'): Promise<void> {
  const producer = await log.producer();
  await producer.send(range(0, count).map((index) => ({ topic, key, value: `v${index}` })));
}

async function commit(log: EmbeddedEventLog, groupId: string, topic: string, offset: number): Promise<void> {
  const tx = await log.transactionalProducer(`tx-${groupId}`);
  await tx.commit({ records: [], offsets: { groupId, topic, partition: 0, offset } });
}

describe('EmbeddedEventLog retention of plain topics', () => {
  let dir: string;
  let sut: EmbeddedEventLog | undefined;

  beforeEach(() => {
    dir = freshDir();
  });

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  async function open(options: Partial<EmbeddedEventLogOptions> = {}): Promise<EmbeddedEventLog> {
    await sut?.close();
    sut = await EmbeddedEventLog.open({ dir, retainRecords: TAIL, ...quiet, ...options });
    await sut.ensureTopics([
      { name: 'events', partitions: 1 },
      { name: 'state', partitions: 1, compacted: true },
    ]);
    return sut;
  }

  it('keeps only the newest records once every group has committed them, and reads start at the log start', async () => {
    const log = await open();
    await send(log, 'events', 50);
    await commit(log, 'projector', 'events', 50);

    expect(log.logOffsets('events', 0)).toEqual({ start: 50 - TAIL, end: 50 });
    expect((await readFrom(log, 'events', 0, 0)).map((record) => record.offset)).toEqual(range(45, 50));
    expect((await readFrom(log, 'events', 0, 47)).map((record) => record.offset)).toEqual([47, 48, 49]);
  });

  it('keeps every record the slowest group has not committed', async () => {
    const log = await open();
    await commit(log, 'archiver', 'events', 0);
    await send(log, 'events', 50);
    await commit(log, 'projector', 'events', 50);
    await commit(log, 'archiver', 'events', 12);

    expect(log.logOffsets('events', 0).start).toBe(12);
    await commit(log, 'archiver', 'events', 30);
    expect(log.logOffsets('events', 0).start).toBe(30);
  });

  it('holds every record for a group that started from the earliest offset and has not committed yet', async () => {
    const log = await open();
    const delivered: number[] = [];
    const consumer = log.consumer({
      groupId: 'engine',
      topics: ['events'],
      eachBatch: async (batch) => void delivered.push(...batch.records.map((record) => record.offset)),
    });
    await consumer.start();
    await send(log, 'events', 50);
    await waitUntil(() => delivered.length === 50);
    await commit(log, 'projector', 'events', 50);
    await consumer.stop();

    expect(log.logOffsets('events', 0).start).toBe(0);
  });

  it('keeps what a live reader has not read yet, even for a group that never commits', async () => {
    const log = await open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: number[] = [];
    const consumer = log.consumer({
      groupId: 'status-hub',
      topics: ['events'],
      startFrom: 'latest',
      eachBatch: async (batch: Batch) => {
        delivered.push(...batch.records.map((record) => record.offset));
        await gate;
      },
    });
    await consumer.start();
    await send(log, 'events', 1);
    await waitUntil(() => delivered.length === 1);
    // The hub is busy with offset 0: it and everything after it stay, however far past the tail.
    for (let index = 0; index < 10; index += 1) await send(log, 'events', 5);
    expect(log.logOffsets('events', 0).start).toBe(0);

    release();
    await waitUntil(() => delivered.length === 51);
    expect(delivered).toEqual(range(0, 51));
    await send(log, 'events', 1);
    await waitUntil(() => delivered.length === 52);
    await consumer.stop();
    expect(log.logOffsets('events', 0).start).toBe(52 - TAIL);
  });

  it('starts a new group at the log start of a trimmed partition, as Kafka resets to the earliest offset', async () => {
    const log = await open();
    await send(log, 'events', 50);
    await commit(log, 'projector', 'events', 50);
    const first: number[] = [];
    const consumer = log.consumer({
      groupId: 'newcomer',
      topics: ['events'],
      eachBatch: async (batch) => void first.push(batch.records[0].offset),
    });
    await consumer.start();
    await waitUntil(() => first.length > 0);
    await consumer.stop();

    expect(first[0]).toBe(45);
  });

  it('keeps what a readPartition in progress has not fetched yet', async () => {
    const log = await open({ maxBatchRecords: 10 });
    await commit(log, 'projector', 'events', 0);
    await send(log, 'events', 50);
    const reader = log.readPartition('events', 0, 0)[Symbol.asyncIterator]();
    const read = [(await reader.next()).value as LogRecord];
    await commit(log, 'projector', 'events', 50);
    // The reader holds its first batch of ten; the log keeps the rest for it.
    expect(log.logOffsets('events', 0).start).toBeLessThanOrEqual(10);

    for (let next = await reader.next(); !next.done; next = await reader.next()) read.push(next.value);
    expect(read.map((record) => record.offset)).toEqual(range(0, 50));
    await commit(log, 'projector', 'events', 50);
    expect(log.logOffsets('events', 0).start).toBe(45);
  });

  it('never trims a compacted topic', async () => {
    const log = await open();
    const producer = await log.producer();
    await producer.send(range(0, 50).map((index) => ({ topic: 'state', key: `run-${index}`, value: 'x' })));
    const tx = await log.transactionalProducer('engine');
    await tx.commit({
      records: [],
      offsets: { groupId: 'engine', topic: 'state', partition: 0, offset: 50 },
    });
    await log.compact();

    expect(log.logOffsets('state', 0)).toEqual({ start: 0, end: 50 });
    expect(await readFrom(log, 'state', 0)).toHaveLength(50);
  });

  it('keeps every record with retainRecords: Infinity', async () => {
    const log = await open({ retainRecords: Number.POSITIVE_INFINITY });
    await send(log, 'events', 50);
    await commit(log, 'projector', 'events', 50);
    await log.compact();

    expect(log.logOffsets('events', 0)).toEqual({ start: 0, end: 50 });
  });

  it('does not bring trimmed records back after a restart, nor after a rewrite of the file', async () => {
    let log = await open();
    await send(log, 'events', 50);
    await commit(log, 'projector', 'events', 50);
    log = await open();
    expect(log.logOffsets('events', 0)).toEqual({ start: 45, end: 50 });

    const walBefore = fs.statSync(path.join(dir, 'events.wal')).size;
    await log.compact();
    expect(fs.statSync(path.join(dir, 'events.wal')).size).toBeLessThan(walBefore);
    log = await open();
    expect(log.logOffsets('events', 0)).toEqual({ start: 45, end: 50 });
    expect((await readFrom(log, 'events', 0)).map((record) => record.offset)).toEqual(range(45, 50));
    await send(log, 'events', 1);
    expect(log.logOffsets('events', 0).end).toBe(51);
  });
});

type Step =
  | { readonly kind: 'send'; readonly partition: number; readonly count: number }
  | { readonly kind: 'commit'; readonly group: string; readonly partition: number; readonly fraction: number }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'compact' };

const PARTITIONS = 2;
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      partition: fc.nat(PARTITIONS - 1),
      count: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      group: fc.constantFrom('engine', 'projector'),
      partition: fc.nat(PARTITIONS - 1),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'reopen' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'compact' }) },
);

describe('EmbeddedEventLog retention under any interleaving of appends, commits, restarts and rewrites', () => {
  it('never drops a record a group has not committed, holds at most the tail plus a step more, and reads the exact retained suffix', async () => {
    const keys = range(0, PARTITIONS).map((partition) => keyOf(partition, PARTITIONS));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const dir = freshDir();
        // A tiny rewrite threshold: the file is rewritten (with the log starts) every few writes.
        const open = () =>
          EmbeddedEventLog.open({ dir, retainRecords: TAIL, compactThresholdBytes: 1024, ...quiet });
        let log = await open();
        try {
          await log.ensureTopics([{ name: 'events', partitions: PARTITIONS }]);
          const written: string[][] = range(0, PARTITIONS).map(() => []);
          const committed = new Map<string, number[]>();
          for (const current of steps) {
            const startsBefore = range(0, PARTITIONS).map(
              (partition) => log.logOffsets('events', partition).start,
            );
            if (current.kind === 'send') {
              const values = range(0, current.count).map(() => `v${written.flat().length}-${Math.random()}`);
              const producer = await log.producer();
              await producer.send(
                values.map((value) => ({ topic: 'events', key: keys[current.partition], value })),
              );
              written[current.partition].push(...values);
            } else if (current.kind === 'commit') {
              const offsets = committed.get(current.group) ?? [];
              const from = offsets[current.partition] ?? 0;
              const offset = from + Math.round(current.fraction * (written[current.partition].length - from));
              const tx = await log.transactionalProducer(current.group);
              await tx.commit({
                records: [],
                offsets: { groupId: current.group, topic: 'events', partition: current.partition, offset },
              });
              offsets[current.partition] = offset;
              committed.set(current.group, offsets);
            } else if (current.kind === 'reopen') {
              await log.close();
              log = await open();
            } else await log.compact();

            for (let partition = 0; partition < PARTITIONS; partition += 1) {
              const { start, end } = log.logOffsets('events', partition);
              const groups = [...committed.values()].map((offsets) => offsets[partition] ?? 0);
              const floor = Math.min(Number.POSITIVE_INFINITY, ...groups);
              expect(end).toBe(written[partition].length);
              // Never drops a record some group has not committed (a group committing for the
              // first time finds the log start where it was: it was not a group of the topic before).
              expect(start).toBeLessThanOrEqual(Math.max(startsBefore[partition], Math.min(floor, end)));
              // A restart or a rewrite brings nothing back.
              expect(start).toBeGreaterThanOrEqual(startsBefore[partition]);
              // Bounded: whatever groups no longer need, beyond the tail, goes within a step.
              expect(start).toBeGreaterThan(Math.min(floor, end - TAIL) - STEP);
              // Reads return exactly the retained suffix, from anywhere.
              for (const from of [0, Math.floor(end / 2), end]) {
                const read = await readFrom(log, 'events', partition, from);
                const first = Math.max(from, start);
                expect(read.map((record) => record.offset)).toEqual(range(first, end));
                expect(read.map((record) => record.value)).toEqual(written[partition].slice(first, end));
              }
            }
          }
        } finally {
          await log.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
