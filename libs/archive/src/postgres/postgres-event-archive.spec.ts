import { PGliteSqlClient } from '@baton/sql';
import { describeEventArchiveContract } from '../event-archive.contract';
import { migrateArchive } from './archive-schema';
import { PostgresEventArchive } from './postgres-event-archive';

// The embedded default's archive: PGlite in memory, the same SQL as on a server.
jest.setTimeout(60_000);

describeEventArchiveContract('PostgreSQL adapter on PGlite', {
  open: async () => {
    const sql = await PGliteSqlClient.open();
    await migrateArchive(sql);
    // A small page makes the suite cross page boundaries in readStream and readAll.
    return new PostgresEventArchive(sql, { ownsClient: true, pageSize: 7 });
  },
});

describe('migrateArchive', () => {
  it('creates the archive tables once and refuses edited migrations', async () => {
    const sql = await PGliteSqlClient.open();
    try {
      expect(await migrateArchive(sql)).toEqual({ applied: [1] });
      expect(await migrateArchive(sql)).toEqual({ applied: [] });
      await expect(
        migrateArchive(sql, [{ version: 1, name: 'archive-events', sql: 'SELECT 1' }]),
      ).rejects.toThrow(/applied with different SQL/);
    } finally {
      await sql.close();
    }
  });
});
