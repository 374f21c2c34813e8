/**
 * The embedded default's read-model write path, per batch: the projector
 * (`projectRecords`) and the archiver (`archiveRecords`) writing one PGlite
 * database on disk, as the all-in-one process does, with batches shaped like
 * the `throughput` system benchmark's (about 16 events from many runs of a
 * 10-step DAG). Prints milliseconds per batch for each, and per statement,
 * so a change to the SQL or to the PGlite adapter shows where it lands.
 *
 * Not part of the tests: jest's `bench` project runs it.
 *
 *   npm run bench:micro -- libs/archive/bench/embedded-write-path
 *
 * Prints one JSON line. A 100-run round warms up; then one round of 300 runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunCommand, RunEvent } from '@baton/domain';
import { cmd, edge, step, workflow } from '@baton/domain/run/testing/fixtures';
import type { LogRecord } from '@baton/eventlog';
import { projectRecords } from '@baton/projector';
import { eventRecords, historyOf, T0 } from '@baton/projector/testing/run-histories';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { archiveRecords } from '../src/archiver/archive-records';
import { migrateArchive } from '../src/postgres/archive-schema';
import { PostgresEventArchive } from '../src/postgres/postgres-event-archive';

const BATCH = 16;
const IN_FLIGHT = 16;

jest.setTimeout(900_000);

/** s1 -> (s2,s3,s4) -> s5 -> (s6,s7,s8) -> s9 -> s10, as in the system benchmark. */
const LEVELS = [['s1'], ['s2', 's3', 's4'], ['s5'], ['s6', 's7', 's8'], ['s9'], ['s10']];
const dag = workflow(
  LEVELS.flat().map((id) => step(id)),
  LEVELS.slice(1).flatMap((level, i) => LEVELS[i]!.flatMap((from) => level.map((to) => edge(from, to)))),
);

function succeeded(runId: string): RunEvent[] {
  const commands: RunCommand[] = [cmd.start(dag, {}, 0)];
  let at = 1;
  for (const level of LEVELS) {
    for (const id of level) commands.push(cmd.started(id, 1, at++));
    for (const id of level) commands.push(cmd.complete(id, 1, at++, null));
  }
  return historyOf(runId, commands);
}

/** `runs` histories, IN_FLIGHT at a time, interleaved as one partition holds them. */
function workload(prefix: string, runs: number): LogRecord[] {
  const records: LogRecord[] = [];
  for (let first = 0; first < runs; first += IN_FLIGHT) {
    const histories = Array.from({ length: Math.min(IN_FLIGHT, runs - first) }, (_, i) =>
      eventRecords(succeeded(`${prefix}-${first + i}`)),
    );
    for (let i = 0; histories.some((history) => i < history.length); i++) {
      for (const history of histories) {
        const record = history[i];
        if (record)
          records.push({ ...record, partition: 0, offset: records.length, headers: {}, timestamp: T0 });
      }
    }
  }
  return records;
}

type Timings = Map<string, { calls: number; ms: number }>;

/** Times every statement by its first words; passes everything through. */
class TimedSql implements SqlClient {
  constructor(
    private readonly inner: SqlClient,
    readonly timings: Timings,
  ) {}

  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    const started = performance.now();
    try {
      return await this.inner.query<T>(sql, params);
    } finally {
      const key = sql.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' ');
      const timing = this.timings.get(key) ?? { calls: 0, ms: 0 };
      this.timings.set(key, { calls: timing.calls + 1, ms: timing.ms + performance.now() - started });
    }
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) => fn(new TimedSql(tx, this.timings)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

async function perBatch(
  records: readonly LogRecord[],
  write: (sql: SqlClient, batch: readonly LogRecord[]) => Promise<unknown>,
  sql: SqlClient,
): Promise<Record<string, unknown>> {
  const timings: Timings = new Map();
  const timed = new TimedSql(sql, timings);
  const batches = Math.ceil(records.length / BATCH);
  const started = performance.now();
  for (let i = 0; i < records.length; i += BATCH) await write(timed, records.slice(i, i + BATCH));
  const statements = Object.fromEntries(
    [...timings].map(([key, { calls, ms }]) => [key, { calls, msPerBatch: round2(ms / batches) }]),
  );
  return { msPerBatch: round2((performance.now() - started) / batches), statements };
}

it('measures the projector and the archiver per batch on PGlite on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-write-path-'));
  const sql = await PGliteSqlClient.open({ dataDir: join(dir, 'readmodel') });
  try {
    await migrate(sql);
    await migrateArchive(sql);
    const project = (tx: SqlClient, batch: readonly LogRecord[]) => projectRecords(tx, batch, T0);
    const archive = (tx: SqlClient, batch: readonly LogRecord[]) =>
      archiveRecords(new PostgresEventArchive(tx), batch, T0);
    const warmUp = workload('warm', 100);
    await perBatch(warmUp, project, sql);
    await perBatch(warmUp, archive, sql);
    const records = workload('measured', 300);
    const projector = await perBatch(records, project, sql);
    const archiver = await perBatch(records, archive, sql);
    console.log(
      JSON.stringify({
        bench: 'embedded-write-path',
        events: records.length,
        batchSize: BATCH,
        projector,
        archiver,
      }),
    );
  } finally {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
