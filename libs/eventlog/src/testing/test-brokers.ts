/**
 * The brokers a Kafka int spec talks to: `BATON_KAFKA_BROKERS` (comma-separated,
 * set by `.ci/run`), else `127.0.0.1:9092`. Only test helpers read the
 * environment; the library takes its brokers from the caller.
 */
export function testKafkaBrokers(): string[] {
  const brokers = (process.env.BATON_KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  return brokers.length > 0 ? brokers : ['127.0.0.1:9092'];
}
