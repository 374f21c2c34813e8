import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { MetricsRegistry } from '@baton/observability';
import { PgSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { createTestDatabase, type TestDatabase } from '@baton/readmodel/testing/test-database';
import { WorkflowQueueQueries } from '@baton/readmodel/workflow-queue-queries';
import { busyHistory, stateOf } from './testing/queue-histories';
import { describeQueueProjection } from './testing/queue-projection.contract';
import { describeRegistryContract } from '@baton/readmodel/testing/workflow-registry.contract';
import { projectedRegistryClient } from './testing/projected-registry-client';
import { WorkflowQueueProjectorService } from './workflow-queue-projector.service';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

// Against a real PostgreSQL (deploy/postgres/postgres.sh start, or BATON_TEST_DATABASE_URL as an
// admin URL). Each file run gets a fresh database, dropped at the end; an unreachable server fails
// the suite. The projector service reads an embedded log here: its consumer loop is the shared
// DeadLetteringWorker, proven on Kafka by the run projector's suite.
jest.setTimeout(90_000);

const suffix = randomUUID().slice(0, 8);
const quiet = SILENT_LOGGER;

let db: TestDatabase;
let sql: SqlClient;

beforeAll(async () => {
  db = await createTestDatabase(`baton_queue_projector_${process.pid}_${Date.now().toString(36)}`);
  sql = new PgSqlClient({ connectionString: db.url });
  await migrate(sql);
});

afterAll(async () => {
  await sql?.close();
  await db?.drop();
});

describeQueueProjection('PostgreSQL', () => ({ sql: () => sql, prefix: `pg-${suffix}` }));

describeRegistryContract(() => sql, projectedRegistryClient);

describe('WorkflowQueueProjectorService on PostgreSQL', () => {
  let dir: string;
  let log: EventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-queue-projector-'));
    log = await EmbeddedEventLog.open({ dir });
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('projects the events of several workflows from the log, and dead-letters a bad record', async () => {
    const workflows = ['a', 'b', 'c'].map((name) => `svc-${name}-${suffix}`);
    const histories = workflows.map(busyHistory);
    const sut = new WorkflowQueueProjectorService(
      log,
      sql,
      { now: () => Date.now() },
      new MetricsRegistry(),
      quiet,
      {
        topics: { runPartitions: 2, requestPartitions: 2 },
      },
    );
    await sut.start();
    try {
      const producer = await log.producer();
      await producer.send([
        { topic: Topics.workflowEvents, key: workflows[0], value: 'not json' },
        ...histories.flat().map((event) => ({
          topic: Topics.workflowEvents,
          key: event.workflowId,
          value: JSON.stringify(event),
        })),
      ]);
      await producer.close();
      const queries = new WorkflowQueueQueries(sql);
      await waitUntil(
        async () => {
          const views = await Promise.all(workflows.map((w) => queries.getQueue(w, { limit: 10 })));
          return views.every((view, i) => view.lastSeq === histories[i].length);
        },
        { message: 'every workflow projected' },
      );
      for (const [i, workflowId] of workflows.entries()) {
        const state = stateOf(histories[i]);
        const view = await queries.getQueue(workflowId, { limit: 10 });
        expect(view.queued.map((run) => run.runId)).toEqual(state.queue.map((q) => q.start.runId));
        expect(view).toMatchObject({ blockedBy: state.blockedBy, running: state.running });
      }
      const letters: string[] = [];
      for (let p = 0; p < (await log.partitionCount(Topics.deadLetters)); p++) {
        for await (const record of log.readPartition(Topics.deadLetters, p))
          letters.push(JSON.parse(record.value!).reason);
      }
      expect(letters).toEqual([expect.stringMatching(/^value is not JSON/)]);
    } finally {
      await sut.stop();
    }
  });
});
