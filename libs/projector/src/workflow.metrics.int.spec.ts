import { cmd } from '@baton/domain/run/testing/fixtures';
import { MetricsRegistry } from '@baton/observability';
import { PgSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { createTestDatabase, type TestDatabase } from '@baton/readmodel/testing/test-database';
import { projectRecords } from './project-batch';
import { eventRecords, etlWorkflow, historyOf, T0 } from './testing/run-histories';
import { WorkflowMetrics } from './workflow.metrics';

// The read-model gauges' SQL on a real PostgreSQL (its parameter typing differs from PGlite's).
jest.setTimeout(60_000);

let db: TestDatabase;
let sql: SqlClient;

beforeAll(async () => {
  db = await createTestDatabase(`baton_workflow_metrics_${process.pid}_${Date.now().toString(36)}`);
  sql = new PgSqlClient({ connectionString: db.url });
  await migrate(sql);
});

afterAll(async () => {
  await sql?.close();
  await db?.drop();
});

describe('WorkflowMetrics gauges on PostgreSQL', () => {
  it('count a running run, and as overdue once its timeout and a minute have passed', async () => {
    const running = historyOf('pg-running', [cmd.start(etlWorkflow, {}, 0), cmd.started('extract', 1, 100)]);
    const records = eventRecords(running).map((r, offset) => ({
      ...r,
      partition: 0,
      offset,
      headers: {},
      timestamp: T0,
    }));
    await projectRecords(sql, records, T0);
    let now = T0 + 60_000;
    const registry = new MetricsRegistry();
    new WorkflowMetrics(registry, sql, { now: () => now });
    const value = async (name: string) =>
      (await registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.workflow === etlWorkflow.id)
        ?.value;

    expect(await value('baton_workflow_runs_running')).toBe(1);
    expect(await value('baton_workflow_runs_overdue')).toBeUndefined();
    now = T0 + 3_600_000 + 61_000;
    expect(await value('baton_workflow_runs_overdue')).toBe(1);
  });
});
