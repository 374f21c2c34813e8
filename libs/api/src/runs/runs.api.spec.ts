import { runIdFor, Topics, type RunRequest } from '@baton/contracts';
import { T0 } from '@baton/domain/workflow-queue/testing/fixtures';
import { projectWorkflowEventRecords } from '@baton/projector/workflow-queue/project-workflow-events';
import {
  eventRecords,
  firstOnlyHistory,
  pausedHistory,
  lastOnlyHistory,
  withRunIdPrefix,
} from '@baton/projector/workflow-queue/testing/queue-histories';
import { jsonParam } from '@baton/sql';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

const REPORT = `id: report
params:
  day: { type: string, required: true }
  rows: { type: long, default: 10 }
  region: { type: string, expression: "'eu'" }
steps:
  - id: build
    type: noop
`;

// The app starts an in-memory PGlite and migrates it: seconds, more on a busy machine.
jest.setTimeout(60_000);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('run routes', () => {
  let sut: ApiTestApp;

  beforeAll(async () => {
    sut = await startApiTestApp();
    const pushed = await fetch(`${sut.base}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: REPORT,
    });
    expect(pushed.status).toBe(201);
  });
  afterAll(() => sut.close());

  const call = async (method: 'GET' | 'POST', path: string, json?: unknown): Promise<Answer> => {
    const response = await fetch(`${sut.base}/api/v1${path}`, {
      method,
      ...(json === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function requests(): Promise<RunRequest[]> {
    return (await sut.records(Topics.runRequests)).map((r) => JSON.parse(r.value!) as RunRequest);
  }

  describe('POST /workflows/{id}/runs', () => {
    it('publishes a RunRequest keyed by workflow id and answers 202 with the derived run id', async () => {
      sut.clock.nowMs = 1_700_000_000_000;
      const answer = await call('POST', '/workflows/report/runs', {
        params: { day: '2026-01-02' },
        requestId: 'req-1',
      });
      expect(answer).toEqual({
        status: 202,
        body: { runId: runIdFor('report', 'req-1'), requestId: 'req-1', workflowId: 'report', version: 1 },
      });
      const records = await sut.records(Topics.runRequests);
      const record = records.find((r) => JSON.parse(r.value!).requestId === 'req-1')!;
      expect(record.key).toBe('report');
      expect(JSON.parse(record.value!)).toEqual({
        schemaVersion: 1,
        workflowId: 'report',
        version: 1,
        requestId: 'req-1',
        params: { day: '2026-01-02' },
        requestedAt: 1_700_000_000_000,
        requestedBy: 'anonymous',
      });
    });

    it('answers the same run id for the same request id (the engine starts it once)', async () => {
      const first = await call('POST', '/workflows/report/runs', {
        params: { day: 'd' },
        requestId: 'twice',
      });
      const second = await call('POST', '/workflows/report/runs', {
        params: { day: 'd' },
        requestId: 'twice',
      });
      expect(second.body.runId).toBe(first.body.runId);
      expect((await requests()).filter((r) => r.requestId === 'twice')).toHaveLength(2);
    });

    it('makes up a request id when none is given', async () => {
      const answer = await call('POST', '/workflows/report/runs', { params: { day: 'd' } });
      expect(answer.status).toBe(202);
      expect(answer.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.body.runId).toBe(runIdFor('report', answer.body.requestId as string));
    });

    it('answers 404 for an unknown workflow or version, and publishes nothing', async () => {
      const before = (await requests()).length;
      expect(await call('POST', '/workflows/ghost/runs', {})).toMatchObject({
        status: 404,
        body: { message: expect.stringContaining('ghost') },
      });
      expect(
        await call('POST', '/workflows/report/runs', { version: 7, params: { day: 'd' } }),
      ).toMatchObject({
        status: 404,
        body: { message: expect.stringContaining('no version 7') },
      });
      expect(await requests()).toHaveLength(before);
    });

    it('answers 400 with a path per problem when params do not fit the definition', async () => {
      const answer = await call('POST', '/workflows/report/runs', {
        params: { rows: 'many', colour: 'red' },
      });
      expect(answer.status).toBe(400);
      const errors = answer.body.errors as { path: string; message: string }[];
      expect(errors.map((e) => e.path).sort()).toEqual(['$.params.colour', '$.params.day', '$.params.rows']);
      expect(errors.find((e) => e.path === '$.params.rows')!.message).toMatch(/expected a long/);
      expect(errors.find((e) => e.path === '$.params.day')!.message).toMatch(/required/);
    });

    it('passes breakpoints through to the request, and refuses a step the workflow lacks', async () => {
      const answer = await call('POST', '/workflows/report/runs', {
        params: { day: 'd' },
        requestId: 'with-breakpoint',
        breakpoints: ['build'],
      });
      expect(answer.status).toBe(202);
      expect((await requests()).find((r) => r.requestId === 'with-breakpoint')).toMatchObject({
        breakpoints: ['build'],
      });

      const refused = await call('POST', '/workflows/report/runs', {
        params: { day: 'd' },
        breakpoints: ['build', 'buld'],
      });
      expect(refused).toMatchObject({
        status: 400,
        body: {
          errors: [
            {
              path: '$.breakpoints[1]',
              message: 'workflow report v1 has no step "buld"; its steps are: build',
            },
          ],
        },
      });
      expect((await call('POST', '/workflows/report/runs', { breakpoints: [3] })).status).toBe(400);
    });

    it('answers 400 for a body that breaks the DTO (unknown field, wrong type)', async () => {
      const answer = await call('POST', '/workflows/report/runs', { params: 'x', surprise: true });
      expect(answer.status).toBe(400);
      const paths = (answer.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['$.params', '$.surprise']));
    });
  });

  describe('reading runs', () => {
    const runId = 'run-seeded';

    beforeAll(async () => {
      await seedRun(sut, runId, { createdAt: '2026-01-01T00:00:00.000Z', status: 'running' });
      await sut.sql.query(
        `INSERT INTO steps (run_id, step_id, status, attempt, ready_at, updated_at) VALUES ($1, 'build', 'running', 1, now(), now())`,
        [runId],
      );
      await sut.sql.query(
        `INSERT INTO step_attempts (run_id, step_id, attempt, status, executor_id, updated_at)
         VALUES ($1, 'build', 1, 'running', 'exec-1', now())`,
        [runId],
      );
      for (const [seq, type] of [
        [1, 'RunStarted'],
        [2, 'StepReady'],
        [3, 'StepStarted'],
      ] as const) {
        await sut.sql.query(
          `INSERT INTO run_events (run_id, seq, type, schema_version, at, payload) VALUES ($1, $2, $3, 1, now(), $4::jsonb)`,
          [runId, seq, type, jsonParam({ type, seq })],
        );
      }
      await sut.sql.query(
        `INSERT INTO step_logs (run_id, step_id, attempt, stdout_tail, stderr_tail, updated_at)
         VALUES ($1, 'build', 1, 'hello\n', '', now())`,
        [runId],
      );
    });

    it('answers 404 for a run not projected yet, then the run with its steps', async () => {
      expect((await call('GET', '/runs/not-yet')).status).toBe(404);
      const answer = await call('GET', `/runs/${runId}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        runId,
        workflowId: 'report',
        status: 'running',
        steps: [{ stepId: 'build', status: 'running', attempts: [{ attempt: 1, executorId: 'exec-1' }] }],
      });
    });

    it('pages events by seq', async () => {
      const first = await call('GET', `/runs/${runId}/events?limit=2`);
      expect(first.body).toMatchObject({
        items: [{ seq: 1, type: 'RunStarted' }, { seq: 2 }],
        nextAfterSeq: 2,
      });
      const rest = await call('GET', `/runs/${runId}/events?afterSeq=2`);
      expect(rest.body).toMatchObject({ items: [{ seq: 3, type: 'StepStarted' }], nextAfterSeq: null });
      expect((await call('GET', `/runs/${runId}/events?afterSeq=-1`)).status).toBe(400);
    });

    it('answers step logs, latest attempt by default, 404 when there are none', async () => {
      const logs = await call('GET', `/runs/${runId}/steps/build/logs`);
      expect(logs).toMatchObject({
        status: 200,
        body: { attempt: 1, stdoutTail: 'hello\n', truncated: false },
      });
      expect((await call('GET', `/runs/${runId}/steps/build/logs?attempt=1`)).status).toBe(200);
      expect((await call('GET', `/runs/${runId}/steps/build/logs?attempt=2`)).status).toBe(404);
      expect((await call('GET', `/runs/${runId}/steps/build/logs?attempt=zero`)).status).toBe(400);
    });

    it('lists runs newest first, a page at a time, and refuses a bad cursor', async () => {
      for (let i = 1; i <= 3; i++) {
        await seedRun(sut, `paged-${i}`, { workflowId: 'paged', createdAt: `2026-02-0${i}T00:00:00.000Z` });
      }
      const first = await call('GET', '/runs?workflowId=paged&limit=2');
      expect(first.status).toBe(200);
      expect((first.body.items as { runId: string }[]).map((r) => r.runId)).toEqual(['paged-3', 'paged-2']);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const cursor = encodeURIComponent(first.body.nextCursor as string);
      const second = await call('GET', `/runs?workflowId=paged&limit=2&cursor=${cursor}`);
      expect((second.body.items as { runId: string }[]).map((r) => r.runId)).toEqual(['paged-1']);
      expect(second.body.nextCursor).toBeNull();

      const bad = await call('GET', '/runs?cursor=not-a-cursor');
      expect(bad).toMatchObject({ status: 400, body: { errors: [{ path: '$.cursor' }] } });
      expect((await call('GET', '/runs?limit=0')).status).toBe(400);
      expect((await call('GET', '/runs?colour=red')).status).toBe(400);
      const filtered = await call('GET', '/runs?status=succeeded&workflowId=paged');
      expect(filtered.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('runs waiting in their workflow queue', () => {
    it('answers a queued run as status queued with its params, until the queue starts it', async () => {
      await projectWorkflowEventRecords(
        sut.sql,
        eventRecords(withRunIdPrefix(pausedHistory('report-paused'), 'paused')),
        T0,
      );

      expect(await call('GET', '/runs/paused-run-2')).toEqual({
        status: 200,
        body: {
          runId: 'paused-run-2',
          workflowId: 'report-paused',
          workflowVersion: 1,
          status: 'queued',
          requestId: 'request-2',
          runAttempt: 1,
          parent: null,
          createdAt: T0 + 3,
          startedAt: null,
          endedAt: null,
          timeoutAt: null,
          failure: null,
          lastSeq: 0,
          updatedAt: T0 + 3,
          params: { n: 2 },
          breakpoints: [],
          stopping: null,
          steps: [],
        },
      });

      // Resumed: run 1 leaves the queue (its run row comes with the engine's events); run 2 still waits.
      await projectWorkflowEventRecords(
        sut.sql,
        eventRecords(withRunIdPrefix(pausedHistory('report-paused', true), 'paused')),
        T0,
      );
      expect(await call('GET', '/runs/paused-run-1')).toMatchObject({ status: 404 });
      expect(await call('GET', '/runs/paused-run-2')).toMatchObject({
        status: 200,
        body: { status: 'queued' },
      });
    });
  });

  describe('runs whose request the run strategy dropped', () => {
    // first_only: run-1 waits (the workflow is paused) when run-2 is requested at T0+3: dropped.
    // last_only: run-2 and run-3 wait behind run-1 and are superseded at T0+3 and T0+4.
    beforeAll(async () => {
      const events = [
        ...withRunIdPrefix(firstOnlyHistory('report-first'), 'first'),
        ...withRunIdPrefix(lastOnlyHistory('report-last'), 'last'),
      ];
      const { result } = await projectWorkflowEventRecords(sut.sql, eventRecords(events), T0);
      expect(result.applied).toBe(events.length);
    });

    it('answers 410 Gone with who dropped the request, when and why', async () => {
      expect(await call('GET', '/runs/first-run-2')).toEqual({
        status: 410,
        body: {
          statusCode: 410,
          error: 'Gone',
          message:
            "run first-run-2 never started: workflow report-first's run strategy first_only dropped its " +
            'request request-2 at 2023-11-14T22:13:20.003Z (another run was running or waiting to start)',
        },
      });
      expect(await call('GET', '/runs/last-run-3')).toMatchObject({
        status: 410,
        body: {
          message:
            "run last-run-3 never started: workflow report-last's run strategy serial_latest_only or last_only dropped its " +
            'request request-3 at 2023-11-14T22:13:20.004Z (a newer request took its place in the queue)',
        },
      });
    });

    it("answers 410 for the run's events and step logs too", async () => {
      const gone = {
        status: 410,
        body: { message: expect.stringMatching(/^run last-run-2 never started: /) },
      };
      expect(await call('GET', '/runs/last-run-2/events')).toMatchObject(gone);
      expect(await call('GET', '/runs/last-run-2/steps/build/logs')).toMatchObject(gone);
    });

    it('keeps 404 for a run that was not dropped and is not projected', async () => {
      // first-run-1 waited and then started; its run is simply not in this read model.
      for (const path of ['/runs/first-run-1', '/runs/first-run-1/steps/build/logs', '/runs/ghost']) {
        expect(await call('GET', path)).toMatchObject({ status: 404 });
      }
      expect(await call('GET', '/runs/first-run-1/events')).toEqual({
        status: 200,
        body: { items: [], nextAfterSeq: null },
      });
    });

    it('documents the 410 in the OpenAPI document', async () => {
      const document = (await (await fetch(`${sut.base}/api/docs-json`)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      for (const path of ['/api/v1/runs/{runId}', '/api/v1/runs/{runId}/events']) {
        expect(Object.keys(document.paths[path].get.responses)).toContain('410');
      }
    });
  });
});

async function seedRun(
  sut: ApiTestApp,
  runId: string,
  run: { createdAt: string; workflowId?: string; status?: string },
): Promise<void> {
  await sut.sql.query(
    `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at)
     VALUES ($1, $2, 1, $3, $4::jsonb, $5, $6::timestamptz, 3, now())`,
    [
      runId,
      run.workflowId ?? 'report',
      run.status ?? 'running',
      jsonParam({ day: 'd' }),
      `req-${runId}`,
      run.createdAt,
    ],
  );
}
