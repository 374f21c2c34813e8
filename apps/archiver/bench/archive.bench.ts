/**
 * The archive on a real PostgreSQL server:
 * - write throughput, in run events per second, of the archiver's path minus
 *   the log (`archiveRecords`: decode, group by run, one transaction per
 *   batch of 500 records), median of 3 measured rounds after a warm-up round;
 * - the time to rebuild the read model's run tables from the archive
 *   (`rebuildFromArchive`) for 10,000 runs of ~10 events each.
 *
 * The workload: realistic histories decided by the domain (libs/projector's
 * run histories: succeeded, failed and cancelled runs), interleaved
 * round-robin as a busy partition holds them.
 *
 * Not part of the tests: jest's `bench` project runs it.
 *
 *   BATON_PG_PORT=55435 deploy/postgres/postgres.sh start
 *   BATON_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55435/postgres npm run bench:micro -- apps/archiver/bench
 *
 * Prints one JSON line. postgres.sh runs with fsync=off, which flatters the
 * server's commits.
 */
import { Client } from 'pg';
import type { RunEvent } from '@baton/domain';
import type { LogRecord } from '@baton/eventlog';
import {
  cancelledRun,
  eventRecords,
  failedRun,
  succeededRun,
  T0,
} from '@baton/projector/testing/run-histories';
import { PgSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { archiveRecords, migrateArchive, PostgresEventArchive } from '@baton/archive';
import { rebuildFromArchive } from '../src/archive-rebuild';

const BATCH = 500;
const ROUNDS = 3;
const RUNS_PER_ROUND = 2_000;
const REBUILD_RUNS = 10_000;
const adminUrl = process.env.BATON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';

jest.setTimeout(1_800_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const KINDS = [succeededRun, failedRun, cancelledRun];

/** `runs` histories (mixed kinds), interleaved round-robin into one partition's records. */
function workload(prefix: string, runs: number): LogRecord[] {
  const histories: RunEvent[][] = Array.from({ length: runs }, (_, i) =>
    KINDS[i % KINDS.length]!(`${prefix}-${i}`),
  );
  const records: LogRecord[] = [];
  const published = histories.map(eventRecords);
  for (let i = 0; published.some((h) => i < h.length); i++) {
    for (const history of published) {
      const record = history[i];
      if (record)
        records.push({ ...record, partition: 0, offset: records.length, headers: {}, timestamp: T0 });
    }
  }
  return records;
}

async function archiveAll(archive: PostgresEventArchive, records: readonly LogRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) {
    const { deadLetters } = await archiveRecords(archive, records.slice(i, i + BATCH), T0);
    if (deadLetters.length > 0) throw new Error(`bench: ${deadLetters.length} dead letters`);
  }
}

async function withDatabase<T>(name: string, fn: (sql: SqlClient) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL unreachable at ${adminUrl} (${String(error)}): deploy/postgres/postgres.sh start`,
    );
  });
  const database = `baton_archive_bench_${name}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const sql = new PgSqlClient({ connectionString: url.toString() });
    try {
      await migrate(sql);
      await migrateArchive(sql);
      return await fn(sql);
    } finally {
      await sql.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

it('measures archive write throughput and rebuild time on PostgreSQL', async () => {
  const write = await withDatabase('write', async (sql) => {
    const archive = new PostgresEventArchive(sql);
    const rounds: number[] = [];
    let events = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const records = workload(`w${round}`, RUNS_PER_ROUND);
      events = records.length;
      const started = performance.now();
      await archiveAll(archive, records);
      const seconds = (performance.now() - started) / 1000;
      if (round > 0) rounds.push(Math.round(records.length / seconds)); // round 0 warms up
    }
    return { eventsPerRound: events, median: median(rounds), rounds };
  });

  const rebuild = await withDatabase('rebuild', async (sql) => {
    const archive = new PostgresEventArchive(sql);
    const records = workload('r', REBUILD_RUNS);
    await archiveAll(archive, records);
    const started = performance.now();
    const result = await rebuildFromArchive(archive, sql);
    const seconds = (performance.now() - started) / 1000;
    const runs = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM runs'))[0]!.n;
    if (runs !== REBUILD_RUNS || result.events !== records.length || result.refused !== 0) {
      throw new Error(`bench: rebuild incomplete: ${runs} runs, ${JSON.stringify(result)}`);
    }
    return {
      runs,
      events: result.events,
      eventsPerRun: Math.round((result.events / runs) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(result.events / seconds),
    };
  });

  console.log(
    JSON.stringify({
      bench: 'archive',
      adapter: 'postgres',
      write: { unit: 'events/s', batchSize: BATCH, measuredRounds: ROUNDS, ...write },
      rebuild: { ...rebuild, batchSize: 500 },
    }),
  );
});
