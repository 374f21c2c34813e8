import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedEventLog,
  ProducerUnusableError,
  type EventLog,
  type LogRecord,
  type TransactionalProducer,
} from '@baton/eventlog';
import { systemClock } from '@baton/platform';
import { appliedInputKey, encodeAppliedInput } from './applied-input';
import { KeyedStateProcessor, type KeyedBatchResult } from './keyed-state-processor';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const quiet = SILENT_LOGGER;
const names = { group: 'g', input: 'in', state: 'state' };

/** A writer that remembers, per key, the values it decided (and lists every decision in `decided`). */
function recorder(log: EventLog, decided: string[]): KeyedStateProcessor<string[]> {
  return new KeyedStateProcessor<string[]>(log, systemClock, quiet, {
    name: 'Recorder',
    keysAre: 'keys',
    groupId: names.group,
    inputTopic: names.input,
    stateTopic: names.state,
    decodeState: (json) => JSON.parse(json) as string[],
    process: (states, records: readonly LogRecord[]): KeyedBatchResult<string[]> => {
      const changed = new Map<string, string[]>();
      for (const { key, value } of records) {
        decided.push(value ?? '');
        changed.set(key, [...(changed.get(key) ?? states.get(key) ?? []), value ?? '']);
      }
      return { records: [], changed };
    },
  });
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('KeyedStateProcessor, records its states already hold', () => {
  let dir: string;
  let log: EventLog;
  let decided: string[];

  const sut = () => recorder(log, decided);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-keyed-'));
    log = await EmbeddedEventLog.open({ dir });
    await log.ensureTopics([
      { name: names.input, partitions: 2 },
      { name: names.state, partitions: 2, compacted: true },
    ]);
    decided = [];
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given states restored with an applied-input offset ahead of the committed one, then the records below it are skipped and the rest decided once', async () => {
    const producer = await log.producer();
    // Offsets 0-4 of the key's input partition; the states hold the first three.
    await producer.send(
      ['c0', 'c1', 'c2', 'c3', 'c4'].map((value) => ({ topic: names.input, key: 'k', value })),
    );
    const [{ partition }] = (await collect(log, names.input)).filter((record) => record.key === 'k');
    await producer.send([
      { topic: names.state, key: 'k', value: JSON.stringify(['c0', 'c1', 'c2']) },
      {
        topic: names.state,
        key: appliedInputKey(partition, 2),
        value: encodeAppliedInput({ partition, next: 3 }),
      },
    ]);

    const processor = sut();
    await processor.start();
    await waitFor('the two new records', () => processor.stateOf('k', partition)?.length === 5);
    expect(decided).toEqual(['c3', 'c4']);
    expect(processor.stateOf('k', partition)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(processor.size).toBe(1);
    await processor.stop();

    // A second owner restores the applied-input offset its predecessor wrote.
    await producer.send([{ topic: names.input, key: 'k', value: 'c5' }]);
    const next = sut();
    await next.start();
    await waitFor('the record after the restart', () => next.stateOf('k', partition)?.length === 6);
    expect(decided).toEqual(['c3', 'c4', 'c5']);
    await next.stop();
  });
});

describe('KeyedStateProcessor, a producer that breaks while ending a transaction', () => {
  let dir: string;
  let log: EmbeddedEventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-keyed-broken-'));
    log = await EmbeddedEventLog.open({ dir });
    await log.ensureTopics([
      { name: names.input, partitions: 1 },
      { name: names.state, partitions: 1, compacted: true },
    ]);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given the first commit breaks the producer, when records keep coming, then the id is re-opened, the states restored, and every record decided once', async () => {
    let opened = 0;
    // The log as the processor sees it: the first producer it opens breaks on its first commit,
    // as a kafkajs producer does when EndTxn fails (unknown outcome: nothing was written here).
    const flaky = new Proxy(log, {
      get(target, name, receiver) {
        if (name !== 'transactionalProducer') return Reflect.get(target, name, receiver) as unknown;
        return async (id: string): Promise<TransactionalProducer> => {
          const real = await target.transactionalProducer(id);
          if (++opened > 1) return real;
          return {
            transactionalId: real.transactionalId,
            commit: () => Promise.reject(new ProducerUnusableError(id, 'failed while ending a transaction')),
            abortAfterWriting: (work) => real.abortAfterWriting(work),
            close: () => real.close(),
          };
        };
      },
    });
    const decided: string[] = [];
    const processor = recorder(flaky, decided);
    await processor.start();
    const producer = await log.producer();
    await producer.send([{ topic: names.input, key: 'k', value: 'a' }]);
    await waitFor(
      'the first record, after the re-open',
      () => processor.stateOf('k', 0)?.length === 1,
      20_000,
    );
    await producer.send([{ topic: names.input, key: 'k', value: 'b' }]);
    await waitFor('the second record', () => processor.stateOf('k', 0)?.length === 2, 20_000);

    expect(opened).toBeGreaterThanOrEqual(2);
    expect(processor.stateOf('k', 0)).toEqual(['a', 'b']);
    // 'a' was decided by the broken producer (nothing committed) and again after the restore; 'b' once.
    expect(decided.filter((value) => value === 'b')).toEqual(['b']);
    expect(log.committedOffset(names.group, names.input, 0)).toBe(2);
    await processor.stop();
  });
});

async function collect(log: EventLog, topic: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (let partition = 0; partition < (await log.partitionCount(topic)); partition++)
    for await (const record of log.readPartition(topic, partition)) out.push(record);
  return out;
}
