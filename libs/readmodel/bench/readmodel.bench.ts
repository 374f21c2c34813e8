/**
 * Why PGlite for the embedded read model, in numbers: how long a persisted
 * PGlite takes to open, and how fast it takes the projector's write pattern
 * (single-row upserts, 50 per transaction) next to a real PostgreSQL.
 *
 * Not part of the tests: jest's `bench` project runs it. Run it with:
 *
 *   deploy/postgres/postgres.sh start
 *   npm run bench:micro -- libs/readmodel/bench
 *   deploy/postgres/postgres.sh stop
 *
 * BATON_BENCH_DATABASE_URL overrides the server (default: postgres.sh's).
 * Note postgres.sh runs with fsync=off, which flatters the server's commits.
 */
import { Client } from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonParam, PgSqlClient, PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '../src/read-model-schema';

const ROWS = 2000;
const BATCH = 50;
const DISTINCT_RUNS = 500;
const ROUNDS = 5;
const OPENS = 5;
const adminUrl = process.env.BATON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';

jest.setTimeout(600_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** The projector's shape: upsert a run row, guarded by its per-run seq. */
async function upsertRound(sql: SqlClient, round: number): Promise<number> {
  const started = performance.now();
  for (let b = 0; b < ROWS / BATCH; b++) {
    await sql.transaction(async (tx) => {
      for (let i = 0; i < BATCH; i++) {
        const n = b * BATCH + i;
        const seq = round * ROWS + n + 1;
        await tx.query(
          `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at)
           VALUES ($1, 'bench', 1, $2, $3::jsonb, $1, $4, $5, $4)
           ON CONFLICT (run_id) DO UPDATE
             SET status = EXCLUDED.status, params = EXCLUDED.params, last_seq = EXCLUDED.last_seq,
                 updated_at = EXCLUDED.updated_at
           WHERE runs.last_seq < EXCLUDED.last_seq`,
          [
            `run-${n % DISTINCT_RUNS}`,
            n % 7 === 0 ? 'succeeded' : 'running',
            jsonParam({ n, day: '2024-01-01' }),
            new Date(),
            seq,
          ],
        );
      }
    });
  }
  return performance.now() - started;
}

async function measureUpserts(name: string, sql: SqlClient): Promise<string> {
  await migrate(sql);
  await upsertRound(sql, 0); // warm-up: caches, JIT, first inserts
  const times: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) times.push(await upsertRound(sql, r));
  const m = median(times);
  return `${name}: median ${fmt(m)} per ${ROWS} upserts (${Math.round((ROWS / m) * 1000)} rows/s), rounds ${times.map(fmt).join(', ')}`;
}

it('measures PGlite against PostgreSQL', async () => {
  const report: string[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  try {
    let t = performance.now();
    const memory = await PGliteSqlClient.open();
    report.push(`PGlite in memory, open (runs initdb): ${fmt(performance.now() - t)}`);
    report.push(await measureUpserts('PGlite in memory', memory));
    await memory.close();

    t = performance.now();
    const created = await PGliteSqlClient.open({ dataDir });
    await migrate(created);
    await created.close();
    report.push(`PGlite persisted, first open + initdb + migrate: ${fmt(performance.now() - t)}`);
    const opens: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      t = performance.now();
      const reopened = await PGliteSqlClient.open({ dataDir });
      await reopened.query('SELECT count(*) FROM runs');
      opens.push(performance.now() - t);
      await reopened.close();
    }
    report.push(
      `PGlite persisted, reopen to first query: median ${fmt(median(opens))} (${opens.map(fmt).join(', ')})`,
    );

    const persisted = await PGliteSqlClient.open({ dataDir });
    report.push(await measureUpserts('PGlite persisted', persisted));
    await persisted.close();

    const database = `baton_bench_${process.pid}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect().catch((error: unknown) => {
      throw new Error(
        `PostgreSQL unreachable at ${adminUrl} (${String(error)}): start it with deploy/postgres/postgres.sh start`,
      );
    });
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      const pg = new PgSqlClient({ connectionString: url.toString() });
      report.push(await measureUpserts('PostgreSQL 127.0.0.1', pg));
      await pg.close();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(report.join('\n'));
});
