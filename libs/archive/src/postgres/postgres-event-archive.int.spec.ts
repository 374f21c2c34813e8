import { PgSqlClient } from '@baton/sql';
import { createTestDatabase, type TestDatabase } from '@baton/readmodel/testing/test-database';
import { describeEventArchiveContract } from '../event-archive.contract';
import { migrateArchive } from './archive-schema';
import { PostgresEventArchive } from './postgres-event-archive';

// Against a real server: `deploy/postgres/postgres.sh start` (or BATON_TEST_DATABASE_URL as an
// admin URL of another). A fresh database per file run, dropped at the end; an unreachable
// server fails the suite, it never skips.
let db: TestDatabase;

jest.setTimeout(60_000);

describeEventArchiveContract('PostgreSQL adapter on a PostgreSQL server', {
  open: async () => {
    db = await createTestDatabase(`baton_archive_${process.pid}_${Date.now().toString(36)}`);
    const sql = new PgSqlClient({ connectionString: db.url });
    await migrateArchive(sql);
    return new PostgresEventArchive(sql, { ownsClient: true, pageSize: 7 });
  },
  dispose: () => db.drop(),
});
