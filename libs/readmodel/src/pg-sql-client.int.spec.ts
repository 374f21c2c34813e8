import { PgSqlClient } from '@baton/sql';
import { describeReadModelContract } from './testing/read-model.contract';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

// Runs against a real server: `deploy/postgres/postgres.sh start` (or set
// BATON_TEST_DATABASE_URL to an admin URL of another). Every openFresh makes
// a new database, dropped at the end; an unreachable server fails the suite.
const created: TestDatabase[] = [];

jest.setTimeout(60_000);

describeReadModelContract('PostgreSQL', {
  singleConnection: false,
  openFresh: async () => {
    const db = await createTestDatabase(
      `baton_rm_${process.pid}_${Date.now().toString(36)}_${created.length}`,
    );
    created.push(db);
    const connectionString = db.url;
    return {
      sql: new PgSqlClient({ connectionString }),
      openPeer: async () => new PgSqlClient({ connectionString }),
    };
  },
  dispose: async () => {
    for (const db of created) await db.drop();
  },
});
