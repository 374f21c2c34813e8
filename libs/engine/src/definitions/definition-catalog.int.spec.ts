import { KafkaEventLog, type EventLog } from '@baton/eventlog';
import { describeCatalogRace } from './testing/catalog-race.contract';

// The push/run-request race on real Kafka (deploy/kafka, or BATON_KAFKA_BROKERS): the catalog
// must read a push whose transaction just committed (its markers may trail the commit) before
// it admits the request sent after it.
jest.setTimeout(120_000);

let log: EventLog;

beforeAll(async () => {
  try {
    log = await KafkaEventLog.connect({ clientId: 'baton-catalog-int', sessionTimeoutMs: 6_000 });
  } catch (error) {
    throw new Error(
      `No Kafka broker answers at ${process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092'}; ` +
        `start it with deploy/kafka/kafka.sh start. (${(error as Error).message})`,
    );
  }
});

afterAll(() => log?.close());

describeCatalogRace(
  'Kafka',
  () => log,
  { runPartitions: 4, requestPartitions: 2 },
  { rounds: 5, timeoutMs: 60_000 },
);
