import { Kafka, logLevel } from 'kafkajs';

/**
 * The Kafka broker of the Kafka suites; it fails loudly (never skips) when it
 * does not answer (`.ci/run` starts it and sets the variable). Test databases
 * come from `@baton/readmodel/testing/test-database`.
 */
export function kafkaBrokers(): string[] {
  return (process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
}

export async function requireKafka(brokers: readonly string[]): Promise<void> {
  const admin = new Kafka({
    brokers: [...brokers],
    clientId: 'baton-e2e-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker');
  } catch (error) {
    throw new Error(
      `No Kafka broker answers at ${brokers.join(',')} (${String(error)}). Start one with ` +
        '`deploy/kafka/kafka.sh start` and set BATON_KAFKA_BROKERS; the e2e suites never skip.',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
