import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGliteWorkerSqlClient } from '@baton/sql';
import { describeSqlClientContract } from './testing/sql-client.contract';

// Each in-memory PGlite runs initdb (2-4 s on two cores), here on its own thread.
// The port's contract only: the SQL above it is the same as PGliteSqlClient's (its spec runs it all).
jest.setTimeout(120_000);

describe('PGlite in a worker thread', () => {
  describeSqlClientContract({
    singleConnection: true,
    openFresh: async () => ({ sql: await PGliteWorkerSqlClient.open({ vacuumEveryMs: 0 }) }),
    dispose: async () => undefined,
  });
});

describe('PGliteWorkerSqlClient', () => {
  it('keeps what it committed in its data directory, refuses re-entry, and refuses every call once closed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-pglite-worker-'));
    try {
      const first = await PGliteWorkerSqlClient.open({ dataDir: join(dir, 'db'), vacuumEveryMs: 0 });
      await first.query('CREATE TABLE t (v text)');
      // The client itself inside its own transaction fails at once instead of waiting forever.
      await expect(first.transaction(() => first.query('SELECT 1'))).rejects.toThrow(/use the `tx` handle/);
      await first.transaction((tx) => tx.query('INSERT INTO t VALUES ($1)', ['kept']));
      await first.close();
      await first.close();
      await expect(first.query('SELECT 1')).rejects.toThrow(/closed/);

      const second = await PGliteWorkerSqlClient.open({ dataDir: join(dir, 'db'), vacuumEveryMs: 0 });
      try {
        expect(await second.query('SELECT v FROM t')).toEqual([{ v: 'kept' }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails to open, with the reason, when another client holds the data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-pglite-worker-'));
    const holder = await PGliteWorkerSqlClient.open({ dataDir: join(dir, 'db'), vacuumEveryMs: 0 });
    try {
      await expect(
        PGliteWorkerSqlClient.open({ dataDir: join(dir, 'db'), vacuumEveryMs: 0 }),
      ).rejects.toThrow(/PGlite data directory/);
    } finally {
      await holder.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
