import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Consumer } from '../event-log.port';
import { waitUntil } from '../testing/wait-until';
import { EmbeddedEventLog } from './embedded-event-log';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('EmbeddedEventLog consumer linger (ConsumerOptions.lingerMs)', () => {
  let dir: string;
  let log: EmbeddedEventLog;
  let consumer: Consumer | undefined;
  /** Offsets of each delivered batch, and when it was handed out. */
  let batches: { offsets: number[]; at: number }[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-linger-'));
    batches = [];
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(lingerMs: number, maxBatchRecords = 500): Promise<void> {
    log = await EmbeddedEventLog.open({ dir, maxBatchRecords, onWarning: () => undefined });
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    consumer = log.consumer({
      groupId: 'reader',
      topics: ['events'],
      lingerMs,
      eachBatch: async (batch) =>
        void batches.push({ offsets: batch.records.map((record) => record.offset), at: Date.now() }),
    });
    await consumer.start();
  }

  async function send(count: number): Promise<void> {
    const producer = await log.producer();
    for (let index = 0; index < count; index += 1) {
      await producer.send([{ topic: 'events', key: 'k', value: `${index}` }]);
    }
  }

  it('hands out the first batch after a quiet spell at once', async () => {
    await start(60_000);
    await send(1);
    await waitUntil(() => batches.length === 1, { timeoutMs: 2_000, message: 'the first batch' });
    expect(batches[0].offsets).toEqual([0]);
  });

  it('under load, gathers what arrives during the linger into one batch, handed out after it', async () => {
    await start(300);
    await send(1);
    await waitUntil(() => batches.length === 1, { message: 'the first batch' });
    await send(5); // one send at a time: without the linger, several small batches
    await waitUntil(() => batches.length === 2, { message: 'the second batch' });

    expect(batches.map((batch) => batch.offsets)).toEqual([[0], [1, 2, 3, 4, 5]]);
    expect(batches[1].at - batches[0].at).toBeGreaterThanOrEqual(290);
  });

  it('hands out a full batch without lingering; the rest waits', async () => {
    await start(60_000, 4);
    await send(1);
    await waitUntil(() => batches.length === 1, { message: 'the first batch' });
    const producer = await log.producer();
    await producer.send(
      Array.from({ length: 6 }, (_, index) => ({ topic: 'events', key: 'k', value: `${index}` })),
    );
    await waitUntil(() => batches.length === 2, { timeoutMs: 2_000, message: 'the full batch' });
    await sleep(200);

    expect(batches.map((batch) => batch.offsets)).toEqual([[0], [1, 2, 3, 4]]);
  });
});
