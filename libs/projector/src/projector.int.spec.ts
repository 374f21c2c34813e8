import { randomUUID } from 'node:crypto';
import type { RunEvent } from '@baton/domain';
import { Topics } from '@baton/contracts';
import { KafkaEventLog, type EventLog } from '@baton/eventlog';
import { testKafkaBrokers } from '@baton/eventlog/testing/test-brokers';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { MetricsRegistry } from '@baton/observability';
import { PgSqlClient, type SqlClient } from '@baton/sql';
import { migrate, RunQueries } from '@baton/readmodel';
import { createTestDatabase, type TestDatabase } from '@baton/readmodel/testing/test-database';
import { projectRecords } from './project-batch';
import { RunProjectorService } from './projector.service';
import { rebuildProjection } from './rebuild-projection';
import {
  iterationsOfRestartedForeachRun,
  pausedAndStoppedRun,
  restartedForeachRun,
  skippedByUserRun,
} from './testing/child-run-histories';
import { dumpRunTables } from './testing/read-model-dump';
import { cancelledRun, eventRecords, failedRun, succeededRun, T0 } from './testing/run-histories';
import { readRunEvents, verifyReadModel } from './verify-read-model';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

// Against a real PostgreSQL (deploy/postgres/postgres.sh start, or BATON_TEST_DATABASE_URL as an
// admin URL) and a real Kafka broker (deploy/kafka/kafka.sh start, or BATON_KAFKA_BROKERS). Each
// file run gets a fresh database, dropped at the end; unreachable servers fail the suite.
// The broker may be shared with other suites: run ids are unique and the consumer group too.
jest.setTimeout(90_000);

const suffix = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${suffix}`;
const quiet = SILENT_LOGGER;
const clock = { now: () => Date.now() };

let db: TestDatabase;
let sql: SqlClient;
let queries: RunQueries;

beforeAll(async () => {
  db = await createTestDatabase(`baton_projector_${process.pid}_${Date.now().toString(36)}`);
  sql = new PgSqlClient({ connectionString: db.url });
  await migrate(sql);
  queries = new RunQueries(sql);
});

afterAll(async () => {
  await sql?.close();
  await db?.drop();
});

let offset = 0;
function project(events: readonly RunEvent[]) {
  const records = eventRecords(events).map((r) => ({
    ...r,
    partition: 0,
    offset: offset++,
    headers: {},
    timestamp: T0,
  }));
  return projectRecords(sql, records, T0);
}

describe('projection on PostgreSQL', () => {
  it('projects a realistic history, idempotently and order-safely, matching the fold', async () => {
    const runId = id('pg-ok');
    const history = succeededRun(runId);
    const { result } = await project(history);
    expect(result.applied).toBe(history.length);

    const run = await queries.getRun(runId);
    expect(run).toMatchObject({ status: 'succeeded', lastSeq: history.length, timeoutAt: T0 + 3_600_000 });
    expect(run!.steps.map((s) => [s.stepId, s.status, s.attempt, s.attempts.length])).toEqual([
      ['extract', 'succeeded', 2, 2],
      ['load', 'succeeded', 1, 1],
      ['report', 'succeeded', 1, 1],
      ['cleanup', 'skipped', 0, 0],
    ]);
    const before = await dumpRunTables(sql, [runId]);

    expect((await project(history)).result).toMatchObject({ applied: 0, duplicates: history.length });
    expect((await project(history.slice(0, 4))).result).toMatchObject({ applied: 0, duplicates: 4 });
    expect(await dumpRunTables(sql, [runId])).toEqual(before);
    expect(await verifyReadModel(sql, history)).toEqual([]);
  });

  it('projects batches of different runs side by side on pooled connections', async () => {
    const histories = Array.from({ length: 8 }, (_, i) =>
      [succeededRun, failedRun, cancelledRun][i % 3](id(`pg-par-${i}`)),
    );
    // Like partitions: each run's events in order, runs concurrently.
    await Promise.all(
      histories.map(async (history) => {
        for (let i = 0; i < history.length; i += 4) await project(history.slice(i, i + 4));
      }),
    );
    expect(await verifyReadModel(sql, histories.flat())).toEqual([]);
  });

  it('projects loops, child runs, breakpoints, stops, user skips and restarts, matching the fold', async () => {
    const parent = id('pg-loop');
    const histories = [
      restartedForeachRun(parent),
      ...iterationsOfRestartedForeachRun(parent),
      pausedAndStoppedRun(id('pg-stop')),
      skippedByUserRun(id('pg-skip')),
    ];
    for (const history of histories) {
      for (let i = 0; i < history.length; i += 3) await project(history.slice(i, i + 3));
    }

    expect(await verifyReadModel(sql, histories.flat())).toEqual([]);
    expect(await queries.getRun(parent)).toMatchObject({ status: 'succeeded', runAttempt: 2 });
    const children = (await queries.listChildRuns(parent, { stepId: 'each', limit: 10 })).items;
    expect(children).toHaveLength(6);
    expect(children).toContainEqual(
      expect.objectContaining({
        runId: `${parent}~each~1~0`,
        parent: { runId: parent, stepId: 'each', attempt: 1, index: 0, depth: 1 },
      }),
    );
  });

  it('settles parents whose children are projected in concurrent transactions, in any order', async () => {
    // Each run's events in order, every run at once (as partitions on several projectors):
    // a parent's end and its children's ends race; the advisory locks order them.
    const parents = Array.from({ length: 4 }, (_, i) => id(`pg-settle-${i}`));
    const histories = parents.flatMap((parent) => [
      restartedForeachRun(parent),
      ...iterationsOfRestartedForeachRun(parent),
    ]);
    await Promise.all(
      histories.map(async (history) => {
        for (let i = 0; i < history.length; i += 2) await project(history.slice(i, i + 2));
      }),
    );
    expect(await verifyReadModel(sql, histories.flat())).toEqual([]);
    for (const parent of parents) expect((await queries.getRun(parent))?.status).toBe('succeeded');
    expect(await sql.query(`SELECT * FROM run_awaits WHERE run_id = ANY($1::text[])`, [parents])).toEqual([]);
  });
});

describe('RunProjectorService on Kafka and PostgreSQL', () => {
  let log: EventLog;

  beforeAll(async () => {
    try {
      log = await KafkaEventLog.connect({
        brokers: testKafkaBrokers(),
        clientId: 'baton-projector-int',
        sessionTimeoutMs: 6_000,
      });
    } catch (error) {
      throw new Error(
        `No Kafka broker answers at ${process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092'}; ` +
          `start it with deploy/kafka/kafka.sh start. (${(error as Error).message})`,
      );
    }
  });

  afterAll(async () => {
    await log?.close();
  });

  it('projects from the log, stops cleanly, and a rebuild from the log gives identical rows', async () => {
    const histories = [succeededRun(id('k-ok')), failedRun(id('k-failed')), cancelledRun(id('k-cancelled'))];
    const runIds = histories.map((h) => h[0].runId);
    const sut = new RunProjectorService(log, sql, clock, new MetricsRegistry(), quiet, {
      topics: { runPartitions: 4, requestPartitions: 1 },
      groupId: `baton-projector-int-${suffix}`,
    });
    await sut.start();
    try {
      const producer = await log.producer();
      await producer.send(histories.flatMap(eventRecords));
      await producer.send([{ topic: Topics.runEvents, key: runIds[0], value: 'not json' }]);
      await producer.close();

      await waitUntil(
        async () => {
          const runs = await Promise.all(runIds.map((runId) => queries.getRun(runId)));
          return runs.every((run, i) => run?.lastSeq === histories[i].length);
        },
        { timeoutMs: 45_000, message: 'the three runs projected from Kafka' },
      );
    } finally {
      await sut.stop();
    }

    const mine = (await readRunEvents(log)).filter((e) => runIds.includes(e.runId));
    expect(mine).toHaveLength(histories.flat().length);
    expect(await verifyReadModel(sql, mine)).toEqual([]);
    const before = await dumpRunTables(sql, runIds);

    await rebuildProjection(log, sql);

    expect(await dumpRunTables(sql, runIds)).toEqual(before);
  });
});
