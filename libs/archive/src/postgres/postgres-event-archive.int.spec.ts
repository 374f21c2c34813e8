import { Client } from 'pg';
import { PgSqlClient } from '@baton/readmodel';
import { describeEventArchiveContract } from '../event-archive.contract';
import { migrateArchive } from './archive-schema';
import { PostgresEventArchive } from './postgres-event-archive';

// Against a real server: `deploy/postgres/postgres.sh start` (or BATON_TEST_DATABASE_URL as an
// admin URL of another). A fresh database per file run, dropped at the end; an unreachable
// server fails the suite, it never skips.
const adminUrl = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const database = `baton_archive_${process.pid}_${Date.now().toString(36)}`;

jest.setTimeout(60_000);

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl} (${String(error)}): start it with deploy/postgres/postgres.sh start`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describeEventArchiveContract('PostgreSQL adapter on a PostgreSQL server', {
  open: async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const sql = new PgSqlClient({ connectionString: url.toString() });
    await migrateArchive(sql);
    return new PostgresEventArchive(sql, { ownsClient: true, pageSize: 7 });
  },
  dispose: async () => {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  },
});
