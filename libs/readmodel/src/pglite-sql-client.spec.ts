import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from './read-model-schema';
import { MIGRATIONS } from './migrations';
import { jsonParam, PGliteSqlClient } from '@baton/sql';
import { WorkflowRegistry } from './workflow-registry';
import { draft } from './testing/read-model.test-kit';
import { describeReadModelContract } from './testing/read-model.contract';

// Each in-memory PGlite runs initdb (2-4 s on two cores), so the contract
// suite opens only the two it needs.
jest.setTimeout(60_000);

describeReadModelContract('PGlite (in memory)', {
  singleConnection: true,
  openFresh: async () => ({ sql: await PGliteSqlClient.open() }),
  dispose: async () => undefined,
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PGliteSqlClient', () => {
  it('fails at once, instead of waiting forever, when the client is used inside its own transaction', async () => {
    const sut = await PGliteSqlClient.open();
    try {
      await expect(sut.transaction(() => sut.query('SELECT 1'))).rejects.toThrow(/use the `tx` handle/);
      // The refusal rolled back cleanly; the client still works.
      expect(await sut.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await sut.close();
    }
  });

  it('runs VACUUM every vacuumEveryMs, since PGlite has no autovacuum, and never when it is 0', async () => {
    const lastVacuum = async (client: PGliteSqlClient) =>
      (
        await client.query<{ last_vacuum: unknown }>(
          `SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 't'`,
        )
      )[0]?.last_vacuum ?? null;
    const never = await PGliteSqlClient.open({ vacuumEveryMs: 0 });
    const sut = await PGliteSqlClient.open({ vacuumEveryMs: 50 });
    try {
      for (const client of [never, sut]) {
        await client.query('CREATE TABLE t (id int PRIMARY KEY, v int)');
        await client.query('INSERT INTO t SELECT g, 0 FROM generate_series(1, 100) g');
        await client.query('UPDATE t SET v = v + 1');
      }
      await waitFor(async () => (await lastVacuum(sut)) !== null, 'a VACUUM of t');
      expect(await lastVacuum(never)).toBeNull();
      expect(await sut.query('SELECT count(*)::int AS n FROM t WHERE v = 1')).toEqual([{ n: 100 }]);
    } finally {
      await never.close();
      await sut.close();
    }
  });

  it('prepares each statement text once, keeps it across rollbacks and schema changes, and bounds how many it keeps', async () => {
    const sut = await PGliteSqlClient.open();
    const prepared = async (text: string) =>
      (
        await sut.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1',
          [text],
        )
      )[0]!.n;
    try {
      await sut.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
      const insert = 'INSERT INTO t (id, v) VALUES ($1, $2)';
      await expect(
        sut.transaction(async (tx) => {
          await tx.query(insert, [1, 'rolled back']);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      await sut.transaction((tx) => tx.query(insert, [1, 'a']));
      await sut.query(insert, [2, 'b']);
      expect(await prepared(insert)).toBe(1);

      const select = 'SELECT v FROM t WHERE id = $1';
      expect(await sut.query(select, [1])).toEqual([{ v: 'a' }]);
      await sut.query('ALTER TABLE t ADD COLUMN w text');
      await sut.query('TRUNCATE t');
      await sut.query(insert, [1, 'c']);
      expect(await sut.query(select, [1])).toEqual([{ v: 'c' }]);

      // Far more texts than the session keeps: the oldest are closed, and prepared again when used.
      for (let i = 0; i < 250; i++) {
        expect(await sut.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
      }
      expect(await sut.query(select, [1])).toEqual([{ v: 'c' }]);
      const [{ total }] = await sut.query<{ total: number }>(
        'SELECT count(*)::int AS total FROM pg_prepared_statements WHERE $1::int = 1',
        [1],
      );
      expect(total).toBeLessThanOrEqual(110);
    } finally {
      await sut.close();
    }
  });

  it('persists to a directory across close and reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'baton-pglite-'));
    try {
      const first = await PGliteSqlClient.open({ dataDir });
      await migrate(first);
      // The rows the workflow queue projector writes for a first push.
      const at = new Date();
      await first.query(
        'INSERT INTO workflows (workflow_id, latest_version, created_at, updated_at, from_log) VALUES ($1, 0, $2, $2, true)',
        ['persisted', at],
      );
      await first.query(
        'INSERT INTO workflow_versions (workflow_id, version, definition, source, created_at) VALUES ($1, 1, $2::jsonb, $3, $4)',
        ['persisted', jsonParam({ ...draft('persisted'), version: 1 }), 'src', at],
      );
      await first.query(
        'UPDATE workflows SET latest_version = 1, active_version = 1 WHERE workflow_id = $1',
        ['persisted'],
      );
      await first.close();

      const second = await PGliteSqlClient.open({ dataDir });
      try {
        // One process at a time: a second open fails instead of corrupting the files.
        await expect(PGliteSqlClient.open({ dataDir })).rejects.toThrow(/already open in this process/);
        expect(await migrate(second)).toEqual({
          applied: [],
          current: MIGRATIONS[MIGRATIONS.length - 1]!.version,
        });
        expect(await new WorkflowRegistry(second).get('persisted')).toMatchObject({ activeVersion: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a process that died without releasing it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'baton-pglite-'));
    try {
      // A pid far above any pid_max: no such process.
      await writeFile(`${dataDir}.lock`, '2147483646');
      const sut = await PGliteSqlClient.open({ dataDir });
      expect(JSON.parse(await readFile(`${dataDir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
      await sut.close();
      await expect(readFile(`${dataDir}.lock`, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}.lock`, { force: true });
    }
  });
});
