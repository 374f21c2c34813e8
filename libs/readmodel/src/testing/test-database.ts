import { Client } from 'pg';

/**
 * Throw-away databases on the real PostgreSQL server of the integration and
 * end-to-end suites (`deploy/postgres/postgres.sh start`, or
 * BATON_TEST_DATABASE_URL as an admin URL of another). An unreachable server
 * fails the suite with how to start one: these suites never skip.
 */
export function testDatabaseAdminUrl(): string {
  return process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
}

export interface TestDatabase {
  /** Connection string of the new, empty database. */
  readonly url: string;
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>;
}

/** A new, empty database named after `name` (lower-cased, non-identifier characters as `_`). */
export async function createTestDatabase(name: string): Promise<TestDatabase> {
  const database = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await asAdmin((client) => client.query(`CREATE DATABASE ${database}`));
  const url = new URL(testDatabaseAdminUrl());
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}

async function asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const adminUrl = testDatabaseAdminUrl();
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl} (${String(error)}): start it with ` +
        '`deploy/postgres/postgres.sh start` or set BATON_TEST_DATABASE_URL; these suites never skip.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
