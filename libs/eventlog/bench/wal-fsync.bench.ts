/**
 * What each `BATON_FSYNC` mode costs the embedded log itself, without the
 * rest of Baton: the latency of one acknowledged write when writers wait
 * for each other (the step-by-step path), and writes per second with 32
 * concurrent writers (where group commit shares one fdatasync among them).
 * The frame is the size of an engine transaction (~1 KiB).
 *
 * Not part of the tests: `npm run bench:micro -- libs/eventlog/bench`.
 * Prints one JSON line per mode. Medians of ROUNDS rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventLog } from '../src/embedded/embedded-event-log';
import type { FsyncMode } from '../src/embedded/write-ahead-log';

const SEQUENTIAL_WRITES = 300;
const CONCURRENT_WRITERS = 32;
const CONCURRENT_WRITES_EACH = 30;
const ROUNDS = 3;
const VALUE = 'x'.repeat(1000);

jest.setTimeout(600_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

async function round(fsync: FsyncMode): Promise<{ p50: number; p99: number; concurrentPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-wal-bench-'));
  const log = await EmbeddedEventLog.open({ dir, fsync, onWarning: () => undefined });
  try {
    await log.ensureTopics([{ name: 'events', partitions: 8 }]);
    const producer = await log.producer();
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL_WRITES; i++) {
      const started = performance.now();
      await producer.send([{ topic: 'events', key: `run-${i}`, value: VALUE }]);
      latencies.push(performance.now() - started);
    }
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENT_WRITERS }, async (_, writer) => {
        for (let i = 0; i < CONCURRENT_WRITES_EACH; i++) {
          await producer.send([{ topic: 'events', key: `run-${writer}-${i}`, value: VALUE }]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      concurrentPerSecond: (CONCURRENT_WRITERS * CONCURRENT_WRITES_EACH) / seconds,
    };
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('embedded log: the cost of each BATON_FSYNC mode', () => {
  it.each(['batch', 'interval', 'never'] as const)('%s', async (fsync) => {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(fsync));
    const figures = {
      bench: 'wal-fsync',
      fsync,
      sequentialAckMs: {
        p50: Number(median(rounds.map((r) => r.p50)).toFixed(3)),
        p99: Number(median(rounds.map((r) => r.p99)).toFixed(3)),
      },
      concurrentWritesPerSecond: Math.round(median(rounds.map((r) => r.concurrentPerSecond))),
      writers: CONCURRENT_WRITERS,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  });
});
