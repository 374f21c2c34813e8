import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { KafkaEventLog, type EventLog, type KafkaEventLogOptions, type LogRecord } from '@baton/eventlog';
import { systemClock } from '@baton/platform';
import { KeyedStateProcessor, type KeyedBatchResult } from './keyed-state-processor';

// Liveness of the single writer on real Kafka (deploy/kafka, or BATON_KAFKA_BROKERS):
// a writer whose transactional id is taken by another producer must get it
// back by itself while it still owns the partition, with no traffic after the fault.
jest.setTimeout(90_000);

const options: KafkaEventLogOptions = { clientId: 'baton-int', sessionTimeoutMs: 6_000, retryBackoffMs: 200 };
const logs: EventLog[] = [];

async function connect(): Promise<EventLog> {
  try {
    const log = await KafkaEventLog.connect(options);
    logs.push(log);
    return log;
  } catch (error) {
    throw new Error(
      `No Kafka broker answers at ${process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092'}; ` +
        `start it with deploy/kafka/kafka.sh start. (${(error as Error).message})`,
    );
  }
}

afterAll(async () => {
  await Promise.all(logs.map((log) => log.close()));
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A counter per key: every record adds one. */
function countingProcessor(log: EventLog, names: { group: string; input: string; state: string }) {
  return new KeyedStateProcessor<number>(log, systemClock, new Logger('KeyedStateProcessorIT'), {
    name: 'Counter',
    keysAre: 'counters',
    groupId: names.group,
    inputTopic: names.input,
    stateTopic: names.state,
    decodeState: (json) => JSON.parse(json) as number,
    process: (states, records: readonly LogRecord[]): KeyedBatchResult<number> => {
      const changed = new Map<string, number>();
      for (const record of records) {
        changed.set(record.key, (changed.get(record.key) ?? states.get(record.key) ?? 0) + 1);
      }
      return { records: [], changed };
    },
  });
}

async function setUp() {
  const log = await connect();
  const names = { group: unique('g'), input: unique('in'), state: unique('state') };
  await log.ensureTopics([
    { name: names.input, partitions: 1 },
    { name: names.state, partitions: 1, compacted: true },
  ]);
  const producer = await log.producer();
  const send = (count: number) =>
    producer.send(Array.from({ length: count }, () => ({ topic: names.input, key: 'k', value: '{}' })));
  return { log, names, send };
}

describe('KeyedStateProcessor on Kafka', () => {
  it('given a writer fenced by another producer of its transactional id, when it still owns the partition, then it re-opens the id, restores, and goes on', async () => {
    const { log, names, send } = await setUp();
    const sut = countingProcessor(log, names);
    await sut.start();
    await send(3);
    await waitFor('the first three records', () => sut.stateOf('k', 0) === 3);

    // Another producer takes the transactional id: the writer's producer is fenced.
    const intruder = await (await connect()).transactionalProducer(`${names.group}.0`);
    await intruder.close();
    await send(2);

    // No traffic after this point: the writer must recover by itself.
    await waitFor('the two records written after the fence', () => sut.stateOf('k', 0) === 5);
    expect(sut.health()).toEqual([
      expect.objectContaining({ partition: 0, fenced: false, failingBatches: 0 }),
    ]);
    await sut.stop();
  });
});
