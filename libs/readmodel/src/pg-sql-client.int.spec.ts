import { Client } from 'pg';
import { PgSqlClient } from './pg-sql-client';
import { describeReadModelContract } from './testing/read-model.contract';

// Runs against a real server: `deploy/postgres/postgres.sh start` (or set
// BATON_TEST_DATABASE_URL to an admin URL of another). Every openFresh makes
// a new database, dropped at the end; an unreachable server fails the suite.
const adminUrl = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const created: string[] = [];

jest.setTimeout(60_000);

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl} (${String(error)}): ` +
        'start it with deploy/postgres/postgres.sh start',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlFor(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

describeReadModelContract('PostgreSQL', {
  singleConnection: false,
  openFresh: async () => {
    const database = `baton_rm_${process.pid}_${Date.now().toString(36)}_${created.length}`;
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    created.push(database);
    const connectionString = urlFor(database);
    return {
      sql: new PgSqlClient({ connectionString }),
      openPeer: async () => new PgSqlClient({ connectionString }),
    };
  },
  dispose: () =>
    admin(async (client) => {
      for (const database of created) await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }),
});
