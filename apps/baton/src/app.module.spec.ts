import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureApi } from '@baton/api';
import { stepTasksTopic, Topics } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import { EVENT_LOG, SQL_CLIENT } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { AppModule } from './app.module';
import { loadConfig } from './baton.config';

// The all-in-one process in-process, on the embedded log and PGlite in a temp
// dir: the README's `npm start` path, from an HTTP request to a finished run.
jest.setTimeout(60_000);

/** Not the default (30 s): the lease the engine puts in tasks and the executor asks for must be this one. */
const LEASE_MS = 4_321;

describe('the all-in-one app', () => {
  let dataDir: string;
  let sut: INestApplication;
  let base: string;
  let sql: SqlClient;
  /** The bearer of the admin token the first start wrote to the data dir. */
  let auth: { authorization: string };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baton-app-'));
    const config = loadConfig({
      BATON_DATA_DIR: dataDir,
      BATON_RUN_PARTITIONS: '2',
      BATON_EXAMPLES_DIR: resolve(__dirname, '../../../examples'),
      BATON_EXECUTOR_SLOTS: '4',
      BATON_LEASE_MS: String(LEASE_MS),
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forOptions(config)] }).compile();
    sut = configureApi(
      moduleRef.createNestApplication({ logger: false, forceCloseConnections: true }),
      config.api.http,
    );
    sut.enableShutdownHooks();
    await sut.listen(0, '127.0.0.1');
    base = await sut.getUrl();
    sql = sut.get(SQL_CLIENT);
    auth = { authorization: `Bearer ${readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()}` };
  });

  afterAll(async () => {
    await sut.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes an admin token to the data dir on its first start, readable by its user only', async () => {
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${base}/api/v1/workflows`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/workflows`, { headers: auth })).status).toBe(200);
  });

  it('answers GET /health with its service name', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'baton' });
  });

  it('answers /health/live, and /health/ready with its log, database and writers checks', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: {
        eventLog: { ok: true },
        database: { ok: true },
        writers: { ok: true, detail: { partitionsOwned: { Engine: 2, WorkflowQueue: 4 }, problems: [] } },
      },
    });
  });

  it('exposes Prometheus metrics with the baton_ prefix', async () => {
    const body = await (await fetch(`${base}/metrics`)).text();
    expect(body).toContain('process_cpu_seconds_total{service="baton"}');
    expect(body).toContain('baton_engine_commands_total');
    expect(body).toContain('baton_writer_partitions_owned{writer="Engine",service="baton"} 2');
    expect(body).toContain(
      'baton_writer_batch_failures_consecutive{writer="Engine",partition="0",service="baton"} 0',
    );
  });

  it('loads the examples and runs the diamond to success, taking the conditional branch when asked', async () => {
    // The examples are pushed in the background as commands for the workflows' writer.
    const listed = async () =>
      (await (await fetch(`${base}/api/v1/workflows`, { headers: auth })).json()) as { workflowId: string }[];
    await waitUntil(async () => (await listed()).length >= 10, {
      timeoutMs: 30_000,
      message: 'every example pushed',
    });
    const workflows = await listed();
    expect(workflows.map((w) => w.workflowId).sort()).toEqual([
      'demo.cron-nightly',
      'demo.foreach-fanout',
      'demo.nested-foreach',
      'demo.subworkflow-child',
      'demo.subworkflow-parent',
      'demo.wait-for-signal',
      'demo.while-countdown',
      'etl.shell-pipeline',
      'ops.http-check',
      'sales.daily',
    ]);

    const started = await fetch(`${base}/api/v1/workflows/sales.daily/runs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ params: { mode: 'full' }, requestId: 'spec-1' }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };

    const run = await waitFor(async () => {
      const response = await fetch(`${base}/api/v1/runs/${runId}`, { headers: auth });
      if (response.status !== 200) return null;
      const body = (await response.json()) as { status: string; steps: { stepId: string; status: string }[] };
      return body.status === 'running' ? null : body;
    });
    expect(run.status).toBe('succeeded');
    expect(Object.fromEntries(run.steps.map((s) => [s.stepId, s.status]))).toEqual({
      extract: 'succeeded',
      transform_full: 'succeeded',
      transform_delta: 'succeeded',
      load: 'succeeded',
    });

    // The archiver kept the run's history; once the read model no longer has
    // it (rebuilt after the log's retention), the events endpoint reads the archive.
    const fromReadModel = await eventTypes(runId);
    await waitFor(async () =>
      (await sql.query('SELECT 1 FROM archive_events WHERE run_id = $1', [runId])).length >=
      fromReadModel.length
        ? true
        : null,
    );
    await sql.query('DELETE FROM run_events WHERE run_id = $1', [runId]);
    expect(await eventTypes(runId)).toEqual(fromReadModel);
    expect(fromReadModel.at(-1)).toBe('RunSucceeded');
  });

  it('runs Maestro-shaped steps end to end: dotted ids, a computed sleep, a non-retryable exit code made once', async () => {
    const document = [
      'id: spec.maestro-shaped',
      'params:',
      '  wait: { type: string, default: 50ms }',
      '  retries: { type: long, default: 3 }',
      'steps:',
      '  - id: job.1',
      '    type: sleep',
      '    duration: ${params.wait}',
      '  - id: job.2',
      '    type: shell',
      '    depends_on: [job.1]',
      "    command: [sh, -c, 'exit 3']",
      '    non_retryable_exit_codes: [3]',
      '    retry_policy:',
      '      user_error_limit: ${params.retries}',
      '      backoff: { type: fixed, delay: 10ms }',
    ].join('\n');
    const pushed = await fetch(`${base}/api/v1/workflows`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/yaml' },
      body: document,
    });
    expect(pushed.status).toBe(201);
    const started = await fetch(`${base}/api/v1/workflows/spec.maestro-shaped/runs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'maestro-shaped-1' }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const run = await waitFor(async () => {
      const body = (await (await fetch(`${base}/api/v1/runs/${runId}`, { headers: auth })).json()) as {
        status: string;
        steps: { stepId: string; status: string; attempt: number }[];
      };
      return body.status === 'running' || body.status === 'queued' ? null : body;
    });
    expect(run.status).toBe('failed');
    expect(run.steps.map(({ stepId, status, attempt }) => ({ stepId, status, attempt }))).toEqual([
      { stepId: 'job.1', status: 'succeeded', attempt: 1 },
      // Three user retries allowed, none made: exit code 3 is not retryable.
      { stepId: 'job.2', status: 'failed', attempt: 1 },
    ]);
    const page = (await (
      await fetch(`${base}/api/v1/runs/${runId}/events?limit=500`, { headers: auth })
    ).json()) as { items: { type: string; payload: Record<string, unknown> }[] };
    const payloads = page.items.map((item) => item.payload);
    expect(payloads.find((e) => e.type === 'StepReady' && e.stepId === 'job.1')?.settings).toEqual({
      duration_ms: 50,
    });
    expect(payloads.find((e) => e.type === 'StepFailed')).toMatchObject({ exitCode: 3, nonRetryable: true });
  });

  it("holds BATON_LEASE_MS as one value: the engine's tasks carry it and the executor asks for exactly it", async () => {
    const log = sut.get<EventLog>(EVENT_LOG);
    const tasks = (await recordsOf(log, stepTasksTopic('default'))).map(
      (value) => value as { stepId: string; leaseMs: number },
    );
    const starts = (await recordsOf(log, Topics.runCommands))
      .map((value) => value as { type: string; leaseDurationMs?: number })
      .filter((command) => command.type === 'ReportStepStarted');

    // The runs above ran steps on the default pool: there are tasks and starts to look at.
    expect(tasks.length).toBeGreaterThan(0);
    expect(starts.length).toBeGreaterThan(0);
    expect(new Set(tasks.map((task) => task.leaseMs))).toEqual(new Set([LEASE_MS]));
    expect(new Set(starts.map((start) => start.leaseDurationMs))).toEqual(new Set([LEASE_MS]));
  });

  async function eventTypes(runId: string): Promise<string[]> {
    const page = (await (
      await fetch(`${base}/api/v1/runs/${runId}/events?limit=500`, { headers: auth })
    ).json()) as {
      items: { type: string }[];
    };
    return page.items.map((e) => e.type);
  }
});

/** Every JSON value on `topic`, all partitions. */
async function recordsOf(log: EventLog, topic: string): Promise<unknown[]> {
  const values: unknown[] = [];
  const partitions = await log.partitionCount(topic);
  for (let partition = 0; partition < partitions; partition += 1)
    for await (const record of log.readPartition(topic, partition))
      if (record.value !== null) values.push(JSON.parse(record.value));
  return values;
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the run to finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
