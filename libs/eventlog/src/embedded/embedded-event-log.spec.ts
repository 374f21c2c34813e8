import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventLog, LogRecord } from '../event-log.port';
import { describeEventLogContract } from '../event-log.contract';
import { tempDirs } from '../testing/temp-dirs';
import { waitUntil } from '../testing/wait-until';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';

const freshDir = tempDirs('baton-eventlog-');

const quiet = { onWarning: () => undefined };

describeEventLogContract('embedded (fsync batch)', () =>
  EmbeddedEventLog.open({ dir: freshDir(), ...quiet }),
);
describeEventLogContract('embedded, fsync never', () =>
  EmbeddedEventLog.open({ dir: freshDir(), fsync: 'never', ...quiet }),
);

async function readAll(log: EventLog, topic: string, partition = 0): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of log.readPartition(topic, partition)) records.push(record);
  return records;
}

describe('EmbeddedEventLog on disk', () => {
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
    sut = await EmbeddedEventLog.open({ dir, ...quiet, ...options });
    return sut;
  }

  const walFile = () => path.join(dir, 'events.wal');

  /** Leaves the file as a kill while writing the last frame would: `cut` bytes short, never sealed. */
  async function killAndCutLastFrame(log: EmbeddedEventLog, cut: number): Promise<void> {
    const bytes = fs.readFileSync(walFile());
    await log.close();
    sut = undefined;
    fs.writeFileSync(walFile(), bytes.subarray(0, bytes.length - cut));
  }

  it('keeps records, topics and committed offsets across close and reopen', async () => {
    let log = await open();
    await log.ensureTopics([
      { name: 'commands', partitions: 2 },
      { name: 'events', partitions: 1 },
    ]);
    const producer = await log.producer();
    await producer.send([
      { topic: 'commands', key: 'run-1', value: 'start', headers: { type: 'StartRun' } },
      { topic: 'commands', key: 'run-2', value: 'start' },
    ]);
    const tx = await log.transactionalProducer('engine-0');
    await tx.commit({
      records: [{ topic: 'events', key: 'run-1', value: 'started' }],
      offsets: { groupId: 'engine', topic: 'commands', partition: 1, offset: 7 },
    });

    log = await open();
    expect(await log.partitionCount('commands')).toBe(2);
    const commands = [...(await readAll(log, 'commands', 0)), ...(await readAll(log, 'commands', 1))];
    expect(commands.map((record) => [record.key, record.value, record.headers])).toEqual(
      expect.arrayContaining([
        ['run-1', 'start', { type: 'StartRun' }],
        ['run-2', 'start', {}],
      ]),
    );
    expect((await readAll(log, 'events')).map((record) => record.value)).toEqual(['started']);
    expect(log.committedOffset('engine', 'commands', 1)).toBe(7);
    expect(log.committedOffset('engine', 'commands', 0)).toBeUndefined();

    // New records continue after the old ones.
    await (await log.producer()).send([{ topic: 'events', key: 'run-1', value: 'next' }]);
    expect((await readAll(log, 'events')).map((record) => record.offset)).toEqual([0, 1]);
  });

  it('drops a torn tail on open: the half-written transaction is gone, records and offset alike', async () => {
    const warnings: string[] = [];
    let log = await open();
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    const tx = await log.transactionalProducer('engine-0');
    await tx.commit({ records: [{ topic: 'events', key: 'k', value: 'kept' }] });
    const sizeBefore = fs.statSync(walFile()).size;
    await tx.commit({
      records: [{ topic: 'events', key: 'k', value: 'torn' }],
      offsets: { groupId: 'g', topic: 'events', partition: 0, offset: 1 },
    });
    await killAndCutLastFrame(log, 3);

    log = await open({ onWarning: (message) => void warnings.push(message) });
    expect((await readAll(log, 'events')).map((record) => record.value)).toEqual(['kept']);
    expect(log.committedOffset('g', 'events', 0)).toBeUndefined();
    expect(fs.statSync(walFile()).size).toBe(sizeBefore);
    expect(warnings).toEqual([expect.stringContaining('torn tail')]);

    await (await log.producer()).send([{ topic: 'events', key: 'k', value: 'after' }]);
    log = await open();
    expect((await readAll(log, 'events')).map((record) => [record.offset, record.value])).toEqual([
      [0, 'kept'],
      [1, 'after'],
    ]);
  });

  it('drops a tail frame whose checksum does not match', async () => {
    let log = await open();
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    const producer = await log.producer();
    await producer.send([{ topic: 'events', key: 'k', value: 'first' }]);
    await producer.send([{ topic: 'events', key: 'k', value: 'second' }]);
    const bytes = fs.readFileSync(walFile());
    await log.close();
    sut = undefined;
    // As a power cut leaves the last write: its length reached the disk, some of its bytes did not.
    bytes[bytes.length - 5] ^= 0xff;
    fs.writeFileSync(walFile(), bytes);

    log = await open();
    expect((await readAll(log, 'events')).map((record) => record.value)).toEqual(['first']);
  });

  it('refuses a second open of the same directory while the first is open', async () => {
    await open();
    await expect(EmbeddedEventLog.open({ dir, ...quiet })).rejects.toThrow(/already open/);
  });

  it('refuses a directory locked by another live process', async () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid: process.ppid }));
    await expect(EmbeddedEventLog.open({ dir, ...quiet })).rejects.toThrow(/locked by process/);
  });

  it('takes over the stale lock of a killed process, and releases its own on close', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    fs.writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid: dead }));
    const log = await open();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await log.close();
    sut = undefined;
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false);
  });

  it('takes over a lock carrying its own pid (a restarted container) or garbage', async () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid: process.pid }));
    await open();
    await sut?.close();
    fs.writeFileSync(path.join(dir, 'LOCK'), '{"pi');
    await expect(open()).resolves.toBeDefined();
  });

  it('compacts a compacted topic to the latest value per key, in memory and in the file', async () => {
    let log = await open();
    await log.ensureTopics([{ name: 'state', partitions: 1, compacted: true }]);
    const producer = await log.producer();
    for (let version = 0; version < 3000; version += 1) {
      await producer.send([{ topic: 'state', key: `run-${version % 5}`, value: `v${version}` }]);
    }
    await producer.send([{ topic: 'state', key: 'run-4', value: null }]);
    // Superseded records outnumber live ones many times over: memory holds a few, not thousands.
    expect((await readAll(log, 'state')).length).toBeLessThan(1100);
    const sizeBefore = fs.statSync(walFile()).size;

    await log.compact();
    const latest = (await readAll(log, 'state')).map((record) => [record.key, record.value]);
    expect(latest).toEqual([
      ['run-0', 'v2995'],
      ['run-1', 'v2996'],
      ['run-2', 'v2997'],
      ['run-3', 'v2998'],
    ]);
    expect(fs.statSync(walFile()).size).toBeLessThan(sizeBefore / 20);

    log = await open();
    expect((await readAll(log, 'state')).map((record) => [record.key, record.value])).toEqual(latest);
    await (await log.producer()).send([{ topic: 'state', key: 'run-9', value: 'new' }]);
    const records = await readAll(log, 'state');
    expect(records[records.length - 1].offset).toBe(3001);
  });

  it.each(['never', 'batch'] as const)(
    'rewrites the file by itself once offset commits and superseded records dominate it (fsync %s)',
    async (fsync) => {
      const log = await open({ compactThresholdBytes: 64 * 1024, fsync });
      await log.ensureTopics([
        { name: 'input', partitions: 1 },
        { name: 'state', partitions: 1, compacted: true },
      ]);
      const tx = await log.transactionalProducer('engine-0');
      for (let index = 0; index < 5000; index += 1) {
        await tx.commit({
          records: [{ topic: 'state', key: 'run-1', value: `state-${index}` }],
          offsets: { groupId: 'engine', topic: 'input', partition: 0, offset: index + 1 },
        });
      }
      expect(fs.statSync(walFile()).size).toBeLessThan(4 * 64 * 1024);
      const reopened = await open();
      expect(reopened.committedOffset('engine', 'input', 0)).toBe(5000);
      const state = await readAll(reopened, 'state');
      expect(state[state.length - 1]).toMatchObject({ offset: 4999, value: 'state-4999' });
    },
    20_000,
  );

  it('wakes a waiting consumer as soon as a record is written', async () => {
    const log = await open();
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    const latencies: number[] = [];
    let sentAt = 0;
    const consumer = log.consumer({
      groupId: 'g',
      topics: ['events'],
      eachBatch: async () => void latencies.push(performance.now() - sentAt),
    });
    await consumer.start();
    const producer = await log.producer();
    for (let index = 0; index < 20; index += 1) {
      sentAt = performance.now();
      await producer.send([{ topic: 'events', key: 'k', value: `${index}` }]);
      await waitUntil(() => latencies.length === index + 1, { intervalMs: 1 });
    }
    // A 100 ms poll would put the median near 50 ms; a wake-up takes well under a millisecond.
    const median = [...latencies].sort((a, b) => a - b)[latencies.length >> 1];
    expect(median).toBeLessThan(20);
  });

  it('delivers at most 500 records per batch by default', async () => {
    const log = await open();
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    await (
      await log.producer()
    ).send(Array.from({ length: 1200 }, (_, index) => ({ topic: 'events', key: 'k', value: `${index}` })));
    const sizes: number[] = [];
    const consumer = log.consumer({
      groupId: 'g',
      topics: ['events'],
      eachBatch: async (batch) => void sizes.push(batch.records.length),
    });
    await consumer.start();
    await waitUntil(() => sizes.reduce((sum, size) => sum + size, 0) === 1200);
    expect(sizes).toEqual([500, 500, 200]);
  });

  it('rejects writes to unknown topics without writing anything', async () => {
    const log = await open();
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    const tx = await log.transactionalProducer('engine-0');
    await expect(
      tx.commit({
        records: [
          { topic: 'events', key: 'k', value: 'would be half of it' },
          { topic: 'missing', key: 'k', value: 'x' },
        ],
      }),
    ).rejects.toThrow(/unknown topic missing/);
    expect(await readAll(log, 'events')).toEqual([]);
  });
});
