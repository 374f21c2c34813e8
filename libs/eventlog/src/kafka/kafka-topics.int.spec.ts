import { randomUUID } from 'node:crypto';
import type { TopicSpec } from '../event-log.port';
import { testKafkaBrokers } from '../testing/test-brokers';
import { KafkaEventLog } from './kafka-event-log';

// The distributed first start (issue 18): every process creates the topics it
// needs at the same moment. A topic another process has just created can be
// unknown to the broker's metadata for a moment (UNKNOWN_TOPIC_OR_PARTITION,
// retriable); an engine once died on it. Real broker, fresh topics each round.
jest.setTimeout(120_000);

const PROCESSES = 6;
const ROUNDS = 3;

const logs: KafkaEventLog[] = [];

beforeAll(async () => {
  for (let i = 0; i < PROCESSES; i++)
    logs.push(
      await KafkaEventLog.connect({ brokers: testKafkaBrokers(), clientId: `baton-first-start-${i}` }),
    );
});

afterAll(async () => {
  await Promise.all(logs.map((log) => log.close()));
});

describe('KafkaTopics.ensureTopics on a first start of several processes at once', () => {
  it('succeeds in every process while the others create overlapping sets of the same topics', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const prefix = `first-start-${randomUUID().slice(0, 8)}`;
      const all: TopicSpec[] = Array.from({ length: 8 }, (_, i) => ({
        name: `${prefix}.t${i}`,
        partitions: 1 + (i % 4),
        compacted: i % 3 === 0,
      }));
      // Each process wants its own overlapping subset, in its own order (as api, engine, executor... do).
      const wanted = logs.map((_, p) =>
        all
          .filter((_, i) => (i + p) % 3 !== 0)
          .reverse()
          .slice(p % 2),
      );

      const outcomes = await Promise.allSettled(logs.map((log, p) => log.ensureTopics(wanted[p])));

      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      for (const topic of all) expect(await logs[0].partitionCount(topic.name)).toBe(topic.partitions);
    }
  });
});
