import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

/**
 * The real services of the Kafka suites. Both fail loudly (never skip) when
 * the service does not answer: `.ci/run` starts them and sets the variables.
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

export function adminDatabaseUrl(): string {
  return process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
}

/** A new, empty database on the test server; `url` points at it, `drop()` removes it. */
export async function createDatabase(name: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const adminUrl = adminDatabaseUrl();
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `No PostgreSQL answers at ${adminUrl} (${String(error)}). Start one with ` +
        '`deploy/postgres/postgres.sh start` and set BATON_TEST_DATABASE_URL; the e2e suites never skip.',
    );
  }
  const database = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
