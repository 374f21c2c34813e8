/**
 * How fast the projector writes the read model, in run events per second,
 * on PGlite (in memory) and on PostgreSQL, at several batch sizes (1 = no
 * grouping: the cost of a transaction and its fixed statements per event).
 *
 * The workload: realistic histories (decided by the domain, ~12 events per
 * run, a retry, a lease extension, a rejection, a skip) of many runs,
 * interleaved as a partition would hold them, decoded and projected with
 * `projectRecords` exactly as the consumer does (minus the log).
 *
 * Not part of the tests: jest's `bench` project runs it. Run it with:
 *
 *   deploy/postgres/postgres.sh start
 *   npm run bench:micro -- libs/projector/bench
 *   deploy/postgres/postgres.sh stop
 *
 * Prints one JSON line. BATON_BENCH_DATABASE_URL overrides the server
 * (default: postgres.sh's). postgres.sh runs with fsync=off, which flatters
 * the server's commits.
 */
import { Client } from 'pg';
import type { LogRecord } from '@baton/eventlog';
import { PgSqlClient, PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { projectRecords } from '../src/project-batch';
import { eventRecords, succeededRun, T0 } from '../src/testing/run-histories';

const RUNS = 200;
const ROUNDS = 5;
const BATCH_SIZES = [1, 50, 500];
const adminUrl = process.env.BATON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';

jest.setTimeout(900_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** RUNS histories, interleaved round-robin (each batch touches many runs, as in a busy partition). */
function workload(round: number, batchSize: number): LogRecord[] {
  const histories = Array.from({ length: RUNS }, (_, i) =>
    eventRecords(succeededRun(`bench-${batchSize}-${round}-${i}`)),
  );
  const records: LogRecord[] = [];
  for (let i = 0; histories.some((h) => i < h.length); i++) {
    for (const history of histories) {
      const record = history[i];
      if (record) {
        records.push({ ...record, partition: 0, offset: records.length, headers: {}, timestamp: T0 });
      }
    }
  }
  return records;
}

async function eventsPerSecond(
  sql: SqlClient,
  batchSize: number,
): Promise<{ median: number; rounds: number[] }> {
  const rounds: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const records = workload(round, batchSize);
    const started = performance.now();
    for (let i = 0; i < records.length; i += batchSize) {
      await projectRecords(sql, records.slice(i, i + batchSize), T0);
    }
    const seconds = (performance.now() - started) / 1000;
    if (round > 0) rounds.push(Math.round(records.length / seconds)); // round 0 warms up
  }
  return { median: median(rounds), rounds };
}

async function measure(sql: SqlClient): Promise<Record<string, unknown>> {
  await migrate(sql);
  const result: Record<string, unknown> = {};
  for (const size of BATCH_SIZES) result[`batch_${size}`] = await eventsPerSecond(sql, size);
  return result;
}

it('measures projected events per second on PGlite and PostgreSQL', async () => {
  const eventsPerRound = workload(0, 0).length;
  const pglite = await PGliteSqlClient.open();
  const pgliteResult = await measure(pglite);
  await pglite.close();

  const database = `baton_projector_bench_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL unreachable at ${adminUrl} (${String(error)}): deploy/postgres/postgres.sh start`,
    );
  });
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  let postgresResult: Record<string, unknown>;
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const pg = new PgSqlClient({ connectionString: url.toString() });
    postgresResult = await measure(pg);
    await pg.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  console.log(
    JSON.stringify({
      bench: 'projector',
      unit: 'events/s',
      runs: RUNS,
      eventsPerRound,
      rounds: ROUNDS,
      pgliteInMemory: pgliteResult,
      postgres: postgresResult,
    }),
  );
});
