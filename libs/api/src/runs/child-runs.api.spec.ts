import { jsonParam } from '@baton/sql';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

// The app starts an in-memory PGlite and migrates it: seconds, more on a busy machine.
jest.setTimeout(60_000);

const T = Date.parse('2026-03-01T00:00:00.000Z');

/**
 * The GET side of child runs, loop progress, restarts and stops: the rows
 * stand in for the projector's (see libs/projector for how events become them).
 */
describe('reading child runs, loop progress and run attempts', () => {
  let sut: ApiTestApp;

  beforeAll(async () => {
    sut = await startApiTestApp();
    await insertRun('loop', { createdAt: T, runAttempt: 2, breakpoints: ['publish'], stopReason: 'enough' });
    await sut.sql.query(
      `INSERT INTO steps (run_id, step_id, status, attempt, ready_at, loop_total, loop_started, loop_running,
                          loop_succeeded, loop_failed, loop_cancelled, updated_at)
       VALUES ('loop', 'each', 'waiting', 3, $1, 100000, 1254, 20, 1234, 0, 0, now())`,
      [new Date(T + 1)],
    );
    await sut.sql.query(
      `INSERT INTO steps (run_id, step_id, status, attempt, ready_at, wait_signal, updated_at)
       VALUES ('loop', 'approve', 'waiting', 1, $1, 'approved', now()),
              ('loop', 'publish', 'paused', 0, NULL, NULL, now())`,
      [new Date(T + 2)],
    );
    for (const index of [2, 0, 1]) {
      await insertRun(`loop~each~3~${index}`, {
        createdAt: T + 10 + index,
        workflowId: 'etl.each',
        status: index === 1 ? 'failed' : 'succeeded',
        parent: { runId: 'loop', stepId: 'each', attempt: 3, index },
      });
    }
    await insertRun('loop~each~2~0', {
      createdAt: T + 5,
      workflowId: 'etl.each',
      status: 'cancelled',
      parent: { runId: 'loop', stepId: 'each', attempt: 2, index: 0 },
    });
  });
  afterAll(() => sut.close());

  async function insertRun(
    runId: string,
    run: {
      createdAt: number;
      workflowId?: string;
      status?: string;
      runAttempt?: number;
      breakpoints?: string[];
      stopReason?: string;
      parent?: { runId: string; stepId: string; attempt: number; index: number };
    },
  ): Promise<void> {
    await sut.sql.query(
      `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq,
                         updated_at, run_attempt, breakpoints, stop_reason, parent_run_id, parent_step_id,
                         parent_attempt, parent_index, depth)
       VALUES ($1, $2, 1, $3, '{}'::jsonb, $1, $4, 7, now(), $5, $6::jsonb, $7, $8, $9, $10, $11, $12)`,
      [
        runId,
        run.workflowId ?? 'etl',
        run.status ?? 'running',
        new Date(run.createdAt),
        run.runAttempt ?? 1,
        jsonParam(run.breakpoints ?? []),
        run.stopReason ?? null,
        run.parent?.runId ?? null,
        run.parent?.stepId ?? null,
        run.parent?.attempt ?? null,
        run.parent?.index ?? null,
        run.parent === undefined ? 0 : 1,
      ],
    );
  }

  const get = async (path: string) => {
    const response = await fetch(`${sut.base}/api/v1${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const ids = (body: Record<string, unknown>) => (body.items as { runId: string }[]).map((r) => r.runId);

  it('shows the run attempt, breakpoints, the stop, and each step waiting, paused or counting its children', async () => {
    const answer = await get('/runs/loop');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      runId: 'loop',
      runAttempt: 2,
      parent: null,
      breakpoints: ['publish'],
      stopping: { reason: 'enough' },
    });
    expect(answer.body.steps).toEqual([
      expect.objectContaining({
        stepId: 'each',
        status: 'waiting',
        attempt: 3,
        signal: null,
        progress: { total: 100000, started: 1254, running: 20, succeeded: 1234, failed: 0, cancelled: 0 },
      }),
      expect.objectContaining({ stepId: 'approve', status: 'waiting', signal: 'approved', progress: null }),
      expect.objectContaining({ stepId: 'publish', status: 'paused', progress: null, skipMessage: null }),
    ]);
  });

  it('shows a child run with its parent link', async () => {
    const answer = await get('/runs/loop~each~3~1');
    expect(answer.body).toMatchObject({
      runId: 'loop~each~3~1',
      status: 'failed',
      parent: { runId: 'loop', stepId: 'each', attempt: 3, index: 1, depth: 1 },
    });
  });

  it('lists top-level runs only, unless includeChildren=true', async () => {
    expect(ids((await get('/runs?limit=50')).body)).toEqual(['loop']);
    expect(ids((await get('/runs?workflowId=etl.each')).body)).toEqual([]);
    expect(ids((await get('/runs?workflowId=etl.each&includeChildren=true')).body)).toEqual([
      'loop~each~3~2',
      'loop~each~3~1',
      'loop~each~3~0',
      'loop~each~2~0',
    ]);
    expect((await get('/runs?includeChildren=yes')).status).toBe(400);
  });

  it("lists a run's children by step, attempt and index, filtered and a page at a time", async () => {
    const first = await get('/runs/loop/children?stepId=each&limit=3');
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(['loop~each~2~0', 'loop~each~3~0', 'loop~each~3~1']);
    const cursor = encodeURIComponent(first.body.nextCursor as string);
    const second = await get(`/runs/loop/children?stepId=each&limit=3&cursor=${cursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(ids(second.body)).toEqual(['loop~each~3~2']);

    expect(ids((await get('/runs/loop/children?stepId=each&attempt=3&status=failed')).body)).toEqual([
      'loop~each~3~1',
    ]);
    expect((await get('/runs/loop/children?stepId=other')).body).toEqual({ items: [], nextCursor: null });
    expect((await get('/runs/ghost/children')).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad children query with 400', async () => {
    expect(await get('/runs/loop/children?cursor=nope')).toMatchObject({
      status: 400,
      body: { errors: [{ path: '$.cursor' }] },
    });
    expect((await get('/runs/loop/children?attempt=0')).status).toBe(400);
    expect((await get('/runs/loop/children?limit=501')).status).toBe(400);
    expect((await get('/runs/loop/children?index=1')).status).toBe(400);
  });

  it('takes an empty integer query value as absent (its default)', async () => {
    expect((await get('/runs/loop/children?limit=&attempt=')).status).toBe(200);
    expect((await get('/runs/loop/children?limit=x')).status).toBe(400);
  });

  it('refuses an integer query value not written as one (0.0, 1e3)', async () => {
    expect((await get('/runs/loop/children?limit=3.0')).status).toBe(400);
    expect((await get('/runs/loop/children?limit=1e2')).status).toBe(400);
    expect((await get('/runs/loop/children?limit=3')).status).toBe(200);
  });
});
