import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Consumer } from '../event-log.port';
import { EmbeddedEventLog } from './embedded-event-log';
import { FetchTurns } from './fetch-turns';

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FetchTurns', () => {
  let now = 0;
  const sut = () => new FetchTurns(5, () => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('lets fetchers go on while the slice is younger than its length', () => {
    const turns = sut();
    expect(turns.turn()).toBeUndefined();
    now += 4;
    expect(turns.turn()).toBeUndefined();
  });

  it('makes every fetcher wait for the same macrotask once the slice is used up', async () => {
    const turns = sut();
    turns.turn();
    now += 5;
    const first = turns.turn();
    const second = turns.turn();
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBe(first);
    let resumed = false;
    void first?.then(() => (resumed = true));
    await Promise.resolve();
    expect(resumed).toBe(false);
    await nextMacrotask();
    expect(resumed).toBe(true);
  });

  it('opens a fresh slice once the event loop has had its turn', async () => {
    const turns = sut();
    turns.turn();
    now += 50;
    await nextMacrotask();
    expect(turns.turn()).toBeUndefined();
    now += 4;
    expect(turns.turn()).toBeUndefined();
  });
});

describe('EmbeddedEventLog fetch loops', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-turns-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('let timers and sockets run while consumers keep each other busy', async () => {
    // fsync never: the point is a log with no I/O to wait for, where only the turns can yield.
    const log = await EmbeddedEventLog.open({ dir, fsync: 'never', onWarning: () => undefined });
    const consumers: Consumer[] = [];
    try {
      await log.ensureTopics([
        { name: 'ping', partitions: 4 },
        { name: 'pong', partitions: 4 },
      ]);
      // Two groups bounce 100 keys back and forth: every write wakes the other side at once,
      // with no real I/O anywhere, so only the log itself can give the event loop a turn.
      const rounds = 400;
      let finished = 0;
      let done!: () => void;
      const allDone = new Promise<void>((resolve) => (done = resolve));
      for (const [from, to] of [
        ['ping', 'pong'],
        ['pong', 'ping'],
      ]) {
        const tx = await log.transactionalProducer(from);
        const consumer = log.consumer({
          groupId: from,
          topics: [from],
          eachBatch: async ({ topic, partition, records }) => {
            const next = records.map((record) => ({
              topic: to,
              key: record.key,
              value: String(Number(record.value) + 1),
            }));
            const out = next.filter((record) => Number(record.value) < rounds);
            finished += next.length - out.length;
            if (finished === 100) done();
            const offset = records[records.length - 1].offset + 1;
            await tx.commit({ records: out, offsets: { groupId: from, topic, partition, offset } });
          },
        });
        await consumer.start();
        consumers.push(consumer);
      }
      let finishedWhenTimerRan: number | undefined;
      setTimeout(() => (finishedWhenTimerRan = finished), 1);
      await (
        await log.producer()
      ).send(Array.from({ length: 100 }, (_, index) => ({ topic: 'ping', key: `key-${index}`, value: '0' })));
      await allDone;

      // Without turns the timer could only run once all 40,000 hops were done.
      expect(finishedWhenTimerRan).toBe(0);
    } finally {
      for (const consumer of consumers) await consumer.stop();
      await log.close();
    }
  });
});
