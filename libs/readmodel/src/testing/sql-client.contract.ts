import { migrate } from '../read-model-schema';
import { MIGRATIONS, type Migration } from '../migrations';
import { isUniqueViolation, jsonParam, type SqlClient } from '@baton/sql';
import type { FreshDatabase, SqlHarness } from './read-model.test-kit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SqlClient port and the migrator, as every adapter must behave. */
export function describeSqlClientContract(harness: SqlHarness): void {
  describe('SqlClient', () => {
    let db: FreshDatabase;
    let sut: SqlClient;

    beforeAll(async () => {
      db = await harness.openFresh();
      sut = db.sql;
      await sut.query('CREATE TABLE kv (k text PRIMARY KEY, v jsonb, n bigint)');
      await sut.query('CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)');
      await sut.query('INSERT INTO counter VALUES (1, 0)');
    });

    afterAll(() => sut.close());

    it('round-trips JSON values through jsonb, whatever their shape', async () => {
      const values = [
        {
          a: 1,
          nested: { list: [1, 'two', null, true], empty: {} },
          unicode: 'héllo ✓ 日本 "quoted" \\ back',
        },
        [1, 2, 3],
        ['a', { b: [] }],
        'a bare string',
        '{"looks":"like json"}',
        42.5,
        -0.001,
        true,
        null,
      ];
      for (const [i, value] of values.entries()) {
        await sut.query('INSERT INTO kv (k, v) VALUES ($1, $2::jsonb)', [`json-${i}`, jsonParam(value)]);
        const [row] = await sut.query<{ v: unknown }>('SELECT v FROM kv WHERE k = $1', [`json-${i}`]);
        expect(row!.v).toEqual(value);
      }
    });

    it('reads SQL NULL as null, distinct from a JSON null', async () => {
      await sut.query('INSERT INTO kv (k, v) VALUES ($1, NULL)', ['sql-null']);
      const [row] = await sut.query<{ v: unknown; is_null: boolean }>(
        'SELECT v, v IS NULL AS is_null FROM kv WHERE k = $1',
        ['sql-null'],
      );
      expect(row).toEqual({ v: null, is_null: true });
      const [json] = await sut.query<{ is_null: boolean }>(
        'SELECT v IS NULL AS is_null FROM kv WHERE k = $1',
        ['json-8'],
      );
      expect(json!.is_null).toBe(false);
    });

    it('parses int8 into a number when exact and a bigint beyond 2^53', async () => {
      await sut.query('INSERT INTO kv (k, n) VALUES ($1, $2), ($3, $4)', [
        'small',
        42,
        'big',
        '9007199254740993',
      ]);
      const rows = await sut.query<{ k: string; n: unknown }>(
        "SELECT k, n FROM kv WHERE k IN ('small', 'big') ORDER BY k",
      );
      expect(rows).toEqual([
        { k: 'big', n: 9007199254740993n },
        { k: 'small', n: 42 },
      ]);
      const [count] = await sut.query<{ c: unknown }>('SELECT count(*) AS c FROM kv WHERE k = $1', ['small']);
      expect(count!.c).toBe(1);
    });

    it('round-trips timestamptz as Date to the millisecond; numeric stays a string', async () => {
      const at = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123));
      const [row] = await sut.query<{ t: Date; n: unknown }>(
        'SELECT $1::timestamptz AS t, 1.50::numeric AS n',
        [at],
      );
      // Not toBeInstanceOf: under Jest, PGlite's Dates come from Node's realm (see pglite-sql-client.ts).
      expect(Object.prototype.toString.call(row!.t)).toBe('[object Date]');
      expect(row!.t.getTime()).toBe(at.getTime());
      expect(row!.n).toBe('1.50');
    });

    it('runs several statements when given no params and returns the last rows', async () => {
      const rows = await sut.query('SELECT 1 AS a; SELECT 2 AS b');
      expect(rows).toEqual([{ b: 2 }]);
    });

    it('reports the SQLSTATE: unique violations are recognisable', async () => {
      await sut.query('INSERT INTO kv (k) VALUES ($1)', ['dup']);
      const error = await sut.query('INSERT INTO kv (k) VALUES ($1)', ['dup']).catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
    });

    it('commits a transaction that resolves, and returns its value', async () => {
      const result = await sut.transaction(async (tx) => {
        await tx.query('INSERT INTO kv (k) VALUES ($1)', ['tx-commit']);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await sut.query('SELECT k FROM kv WHERE k = $1', ['tx-commit'])).toHaveLength(1);
    });

    it('rolls back everything a throwing transaction wrote, and rethrows', async () => {
      const boom = new Error('boom');
      await expect(
        sut.transaction(async (tx) => {
          await tx.query('INSERT INTO kv (k) VALUES ($1)', ['tx-rollback-1']);
          await tx.query('INSERT INTO kv (k) VALUES ($1)', ['tx-rollback-2']);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await sut.query("SELECT k FROM kv WHERE k LIKE 'tx-rollback-%'")).toEqual([]);
    });

    it('rolls back a transaction whose statement failed', async () => {
      await expect(
        sut.transaction(async (tx) => {
          await tx.query('INSERT INTO kv (k) VALUES ($1)', ['tx-failed']);
          await tx.query('INSERT INTO kv (k) VALUES ($1)', ['dup']);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await sut.query('SELECT k FROM kv WHERE k = $1', ['tx-failed'])).toEqual([]);
      // The client is usable afterwards (no connection left in an aborted transaction).
      expect(await sut.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('nests transactions as savepoints: an inner failure undoes only the inner work', async () => {
      await sut.transaction(async (tx) => {
        await tx.query('INSERT INTO kv (k) VALUES ($1)', ['outer']);
        await expect(
          tx.transaction(async (inner) => {
            await inner.query('INSERT INTO kv (k) VALUES ($1)', ['inner']);
            throw new Error('inner fails');
          }),
        ).rejects.toThrow('inner fails');
        await tx.transaction((inner) => inner.query('INSERT INTO kv (k) VALUES ($1)', ['inner-ok']));
      });
      const rows = await sut.query<{ k: string }>(
        "SELECT k FROM kv WHERE k IN ('outer', 'inner', 'inner-ok') ORDER BY k",
      );
      expect(rows.map((r) => r.k)).toEqual(['inner-ok', 'outer']);
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      let leaked: SqlClient | undefined;
      await sut.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow(/after its transaction ended/);
    });

    it('never lets concurrent read-modify-write transactions lose an update', async () => {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          sut.transaction(async (tx) => {
            const [row] = await tx.query<{ v: number }>('SELECT v FROM counter WHERE id = 1 FOR UPDATE');
            await sleep(2);
            await tx.query('UPDATE counter SET v = $1 WHERE id = 1', [row!.v + 1]);
          }),
        ),
      );
      expect(await sut.query('SELECT v FROM counter WHERE id = 1')).toEqual([{ v: 10 }]);
    });

    it('never shows another caller uncommitted writes', async () => {
      const log: string[] = [];
      let written!: () => void;
      const hasWritten = new Promise<void>((resolve) => (written = resolve));
      const writer = sut.transaction(async (tx) => {
        await tx.query('INSERT INTO kv (k) VALUES ($1)', ['uncommitted']);
        log.push('written');
        written();
        await sleep(100);
        log.push('committing');
      });
      await hasWritten;
      const [seen] = await sut.query<{ c: number }>('SELECT count(*) AS c FROM kv WHERE k = $1', [
        'uncommitted',
      ]);
      log.push(`read ${seen!.c}`);
      await writer;
      if (harness.singleConnection) {
        // One connection: the reader queued behind the whole transaction.
        expect(log).toEqual(['written', 'committing', 'read 1']);
      } else {
        // A pool: the reader ran meanwhile, on its own snapshot.
        expect(log).toEqual(['written', 'read 0', 'committing']);
      }
    });

    // Only meaningful with one connection; a pool runs transactions side by side by design.
    if (harness.singleConnection)
      it('runs queued transactions one after another, never interleaved', async () => {
        const log: string[] = [];
        const tx = (name: string) =>
          sut.transaction(async (t) => {
            log.push(`${name} begin`);
            await sleep(10);
            await t.query('SELECT 1');
            log.push(`${name} end`);
          });
        await Promise.all([tx('a'), tx('b'), tx('c')]);
        expect(log).toEqual(['a begin', 'a end', 'b begin', 'b end', 'c begin', 'c end']);
      });
  });

  describe('migrate', () => {
    let db: FreshDatabase;

    beforeAll(async () => {
      db = await harness.openFresh();
    });

    afterAll(() => db.sql.close());

    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;

    it('applies every migration once, even when two migrators start at once', async () => {
      const peer = db.openPeer ? await db.openPeer() : db.sql;
      try {
        const results = await Promise.all([migrate(db.sql), migrate(peer)]);
        const applied = results.map((r) => r.applied).sort((a, b) => b.length - a.length);
        expect(applied).toEqual([MIGRATIONS.map((m) => m.version), []]);
        expect(results.map((r) => r.current)).toEqual([latest, latest]);
      } finally {
        if (peer !== db.sql) await peer.close();
      }
      const tables = await db.sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'baton_schema_migrations',
        'run_awaits',
        'run_events',
        'runs',
        'step_attempts',
        'step_logs',
        'steps',
        'workflow_queue_drops',
        'workflow_queue_runs',
        'workflow_queue_status',
        'workflow_registry_outcomes',
        'workflow_versions',
        'workflows',
      ]);
    });

    it('is idempotent: a second run applies nothing', async () => {
      expect(await migrate(db.sql)).toEqual({ applied: [], current: latest });
    });

    it('refuses a database where a released migration was applied with other SQL', async () => {
      const edited: Migration[] = [{ ...MIGRATIONS[0]!, sql: `${MIGRATIONS[0]!.sql}\n-- edited` }];
      await expect(migrate(db.sql, edited)).rejects.toThrow(/applied with different SQL/);
    });

    it('applies a failing batch not at all: earlier new migrations roll back with it', async () => {
      const next: Migration[] = [
        ...MIGRATIONS,
        { version: latest + 1, name: 'fine', sql: 'CREATE TABLE contract_fine (id int)' },
        {
          version: latest + 2,
          name: 'broken',
          sql: 'CREATE TABLE contract_broken (id int); SELECT no_such_column FROM runs',
        },
      ];
      await expect(migrate(db.sql, next)).rejects.toMatchObject({ code: '42703' });
      const versions = await db.sql.query<{ version: number }>('SELECT version FROM baton_schema_migrations');
      expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      expect(await db.sql.query("SELECT to_regclass('contract_fine') AS t")).toEqual([{ t: null }]);
    });

    it('applies new migrations in order on top of the current schema', async () => {
      const next: Migration[] = [
        ...MIGRATIONS,
        { version: latest + 1, name: 'add', sql: 'CREATE TABLE contract_added (id int)' },
        { version: latest + 2, name: 'alter', sql: 'ALTER TABLE contract_added ADD COLUMN note text' },
      ];
      expect(await migrate(db.sql, next)).toEqual({ applied: [latest + 1, latest + 2], current: latest + 2 });
      // Older code against the newer database still starts.
      expect(await migrate(db.sql)).toEqual({ applied: [], current: latest + 2 });
    });

    it('rejects migration lists out of order', async () => {
      const bad: Migration[] = [
        { version: 2, name: 'b', sql: 'SELECT 1' },
        { version: 1, name: 'a', sql: 'SELECT 1' },
      ];
      await expect(migrate(db.sql, bad)).rejects.toThrow(/strictly ascending/);
    });
  });
}
