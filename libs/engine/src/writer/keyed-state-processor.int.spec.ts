import { randomUUID } from 'node:crypto';
import { batonLogger } from '@baton/observability';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaEventLog, type EventLog, type KafkaEventLogOptions, type LogRecord } from '@baton/eventlog';
import { testKafkaBrokers } from '@baton/eventlog/testing/test-brokers';
import { systemClock } from '@baton/platform';
import { isAppliedInputKey } from './applied-input';
import { KeyedStateProcessor, type KeyedBatchResult } from './keyed-state-processor';

// Liveness of the single writer on real Kafka (deploy/kafka, or BATON_KAFKA_BROKERS):
// a writer whose transactional id is taken by another producer must get it
// back by itself while it still owns the partition, with no traffic after the fault.
jest.setTimeout(90_000);

const options: KafkaEventLogOptions = {
  brokers: testKafkaBrokers(),
  clientId: 'baton-int',
  sessionTimeoutMs: 6_000,
  retryBackoffMs: 200,
};
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
function countingProcessor(
  log: EventLog,
  names: { group: string; input: string; state: string },
  beforeCommit?: (result: KeyedBatchResult<number>) => Promise<void>,
) {
  return new KeyedStateProcessor<number>(log, systemClock, batonLogger('KeyedStateProcessorIT'), {
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
    beforeCommit,
  });
}

async function setUp(partitions = 1) {
  const log = await connect();
  const names = { group: unique('g'), input: unique('in'), state: unique('state') };
  await log.ensureTopics([
    { name: names.input, partitions },
    { name: names.state, partitions, compacted: true },
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

/** The latest committed snapshot of every counter, read back from the state topic as a restore would. */
async function countersIn(log: EventLog, state: string, partitions: number): Promise<Map<string, number>> {
  const counters = new Map<string, number>();
  for (let partition = 0; partition < partitions; partition++) {
    for await (const record of log.readPartition(state, partition)) {
      if (isAppliedInputKey(record.key)) continue;
      if (record.value === null) counters.delete(record.key);
      else counters.set(record.key, JSON.parse(record.value) as number);
    }
  }
  return counters;
}

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const brokers = (process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const admin = new Kafka({ clientId: 'baton-int-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

const committedOffset = (group: string, topic: string): Promise<number> =>
  withAdmin(async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Number(entry.partitions.find(({ partition }) => partition === 0)?.offset ?? -1);
  });

/** Moves the group's committed offset back (the group must be empty), as a lagging offset fetch would show it. */
const rewindGroup = (group: string, topic: string, offset: number): Promise<void> =>
  withAdmin((admin) =>
    admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: String(offset) }] }),
  );

describe('KeyedStateProcessor on Kafka, exactly once across owners', () => {
  it('given states that already hold commands the committed offset does not cover, when a new owner restores, then it decides none of them again', async () => {
    const { log, names, send } = await setUp();
    const first = countingProcessor(log, names);
    await first.start();
    await send(4);
    await waitFor('the four records', () => first.stateOf('k', 0) === 4);
    await first.stop();

    // The next owner reads an offset that lags the states (the takeover race).
    await rewindGroup(names.group, names.input, 1);
    const second = countingProcessor(log, names);
    await second.start();
    await send(1);

    let committed = -1;
    const deadline = Date.now() + 30_000;
    while (committed < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      committed = await committedOffset(names.group, names.input);
    }
    expect(committed).toBe(5);
    expect(second.stateOf('k', 0)).toBe(5);
    expect((await countersIn(log, names.state, 1)).get('k')).toBe(5);
    await second.stop();
  });

  it('given a batch that fails right after the previous one committed, when the consumer rewinds to the committed offset, then nothing already applied is decided again', async () => {
    const { log, names } = await setUp();
    const producer = await log.producer();
    // A transient failure before the commit (as creating a topic may fail), once per failing key.
    const failed = new Set<string>();
    const sut = countingProcessor(log, names, async ({ changed }) => {
      const fresh = [...changed.keys()].find((key) => key.startsWith('fail-') && !failed.has(key));
      if (!fresh) return;
      failed.add(fresh);
      throw new Error(`transient failure before committing ${fresh}`);
    });
    await sut.start();
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      // Two fetches in a row: the failing one comes while the offset of the first is just committed.
      await producer.send([{ topic: names.input, key: `ok-${round}`, value: '{}' }]);
      await producer.send([{ topic: names.input, key: `fail-${round}`, value: '{}' }]);
      await waitFor(`round ${round}`, () => sut.stateOf(`fail-${round}`, 0) !== undefined);
    }
    const counters = await countersIn(log, names.state, 1);
    expect([...counters].filter(([, count]) => count !== 1)).toEqual([]);
    expect(counters.size).toBe(2 * rounds);
    await sut.stop();
  });

  it('given commands flowing while partitions move between two members again and again, then every command is decided exactly once', async () => {
    const partitions = 4;
    const { log, names } = await setUp(partitions);
    const producer = await log.producer();
    const sent: string[] = [];
    let flowing = true;
    const flow = (async () => {
      for (let batch = 0; flowing; batch++) {
        const ids = Array.from({ length: 5 }, (_, i) => `c-${batch}-${i}`);
        await producer.send(ids.map((key) => ({ topic: names.input, key, value: '{}' })));
        sent.push(...ids);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const members = [countingProcessor(log, names), countingProcessor(log, names)];
    await members[0].start();
    for (let move = 0; move < 4; move++) {
      // Each start and stop of the second member moves half of the partitions.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await members[1].start();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await members[1].stop();
      members[1] = countingProcessor(log, names);
    }
    flowing = false;
    await flow;

    // Quiet period: the remaining member finishes by itself.
    const decided = () => members[0].size;
    await waitFor(`all ${sent.length} commands`, () => decided() >= sent.length, 60_000);
    const counters = await countersIn(log, names.state, partitions);
    const twice = [...counters].filter(([, count]) => count !== 1);
    expect(twice).toEqual([]);
    expect([...counters.keys()].sort()).toEqual([...sent].sort());
    await members[0].stop();
  });
});
