import type { BatonApi, RunDetail } from './api-client';
import { isTerminal } from './api-client';
import { sleep } from './processes';
import { requestId as taggedId } from './scenarios';

/**
 * Scenarios of the Maestro-parity features (control flow, signals, triggers,
 * run strategies, actions), each driven only through the REST API of a
 * running installation. Workflow ids carry `prefix` so suites sharing a
 * broker never see each other's runs.
 */

/** One REST call; fails on any status but `expected`. Answers the parsed body. */
export async function call<T>(
  api: BatonApi,
  method: string,
  path: string,
  body?: unknown,
  expected = [202],
): Promise<T> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    // A POST always says it is JSON (the API refuses what a browser could post cross-site).
    headers: api.headers(body === undefined && method === 'GET' ? undefined : 'application/json'),
    body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!expected.includes(response.status))
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function startWith(api: BatonApi, workflowId: string, body: Record<string, unknown>): Promise<string> {
  const answer = await call<{ runId: string }>(api, 'POST', `/api/v1/workflows/${workflowId}/runs`, {
    requestId: requestId(workflowId),
    params: {},
    ...body,
  });
  return answer.runId;
}

let requests = 0;
/** A request id unique within this test run. */
export const requestId = (name: string) => taggedId(`${name}-${++requests}`);

const stepOf = (run: RunDetail, stepId: string) => run.steps.find((s) => s.stepId === stepId);
const stepIs = (stepId: string, status: string) => (run: RunDetail) => stepOf(run, stepId)?.status === status;

export async function foreachScenario(api: BatonApi, prefix: string): Promise<string> {
  const id = `${prefix}.foreach`;
  await api.push(`
id: ${id}
params:
  regions: { type: array, default: [eu, us, ap] }
steps:
  - id: regions
    type: foreach
    loop_params:
      region: \${params.regions}
    concurrency: 2
    steps:
      - id: days
        type: foreach
        loop_params:
          day: { range: { from: 1, to: 4 } }
        concurrency: 3
        steps:
          - id: load
            type: noop
            outputs:
              key: "params.region + '-' + string(params.day)"
    outputs:
      iterations: result.iterations
      succeeded: result.succeeded
  - id: done
    type: noop
    depends_on: [regions]
`);
  const runId = await api.start(id, {}, requestId(id));
  const run = await api.waitForRun(runId, isTerminal, 60_000);
  expect(run.status).toBe('succeeded');
  expect(stepOf(run, 'regions')).toMatchObject({
    status: 'succeeded',
    outputs: { iterations: 3, succeeded: 3 },
  });
  expect(stepOf(run, 'done')?.status).toBe('succeeded');
  // 3 region iterations (child runs), each with its own 3 day iterations.
  const children = await api.children(runId);
  expect(children.map((c) => c.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  const grandchildren = await api.children(children[0].runId);
  expect(grandchildren).toHaveLength(3);
  return runId;
}

export async function whileScenario(api: BatonApi, prefix: string): Promise<string> {
  const id = `${prefix}.while`;
  await api.push(`
id: ${id}
params:
  target: { type: long, default: 4 }
steps:
  - id: count
    type: while
    condition: "params.loop_index == 0 || params.loop_previous.tick.next < params.target"
    max_iterations: 10
    steps:
      - id: tick
        type: noop
        outputs:
          next: "int(params.loop_index) + 1"
    outputs:
      iterations: result.iterations
      last: result.last.tick.next
`);
  const runId = await api.start(id, {}, requestId(id));
  const run = await api.waitForRun(runId, isTerminal, 60_000);
  expect(run.failure).toBeNull();
  expect(run.status).toBe('succeeded');
  expect(stepOf(run, 'count')?.outputs).toEqual({ iterations: 4, last: 4 });
  return runId;
}

/** A sleep step is an engine timer: it ends after its duration, with no executor attempt. */
export async function sleepScenario(api: BatonApi, prefix: string): Promise<string> {
  const id = `${prefix}.sleep`;
  await api.push(`
id: ${id}
steps:
  - { id: first, type: noop }
  - { id: nap, type: sleep, duration: 1500ms, depends_on: [first] }
  - { id: after, type: noop, depends_on: [nap] }
`);
  const runId = await api.start(id, {}, requestId(id));
  const run = await api.waitForRun(runId, isTerminal, 60_000);
  expect(run.failure).toBeNull();
  expect(run.status).toBe('succeeded');
  const nap = stepOf(run, 'nap')!;
  expect(nap.status).toBe('succeeded');
  expect(nap.endedAt! - nap.startedAt!).toBeGreaterThanOrEqual(1500);
  expect(nap.attempts.filter((attempt) => attempt.executorId !== null)).toEqual([]);
  expect(stepOf(run, 'after')!.startedAt!).toBeGreaterThanOrEqual(nap.endedAt!);
  return runId;
}

export async function subworkflowScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const child = `${prefix}.child`;
  const parent = `${prefix}.parent`;
  await api.push(`
id: ${child}
params:
  region: { type: string, required: true }
  rows: { type: long, default: 7 }
steps:
  - id: extract
    type: noop
    outputs:
      rows: params.rows
      region: params.region
`);
  await api.push(`
id: ${parent}
params:
  rows: { type: long, default: 42 }
steps:
  - id: child
    type: subworkflow
    workflow_id: ${child}
    inherit_params: true
    params:
      region: eu
    outputs:
      rows: result.outputs.extract.rows
      region: result.outputs.extract.region
  - id: report
    type: noop
    depends_on: [child]
`);
  const runId = await api.start(parent, {}, requestId(parent));
  const run = await api.waitForRun(runId, isTerminal, 60_000);
  expect(run.status).toBe('succeeded');
  // The child inherited rows=42 from the parent and got region from the step.
  expect(stepOf(run, 'child')?.outputs).toEqual({ rows: 42, region: 'eu' });
  const missing = `${prefix}.missing-child`;
  await api.push(`
id: ${missing}
steps:
  - id: child
    type: subworkflow
    workflow_id: ${prefix}.does-not-exist
`);
  const failedId = await api.start(missing, {}, requestId(missing));
  const failed = await api.waitForRun(failedId, isTerminal, 60_000);
  expect(failed.status).toBe('failed');
  return [runId, failedId];
}

export async function signalScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.signal`;
  const signal = `${prefix}.table-loaded`;
  await api.push(`
id: ${id}
params:
  table: { type: string, default: sales }
steps:
  - id: wait
    type: wait_for_signal
    signal: ${signal}
    match:
      table: \${params.table}
    outputs:
      rows: result.params.rows
`);
  const runId = await api.start(id, {}, requestId(id));
  await api.waitForRun(runId, stepIs('wait', 'waiting'), 30_000);
  // A signal for another table does not match; the right one does, once.
  await call(api, 'POST', '/api/v1/signals', { name: signal, params: { table: 'orders', rows: 1 } });
  await sleep(1_000);
  expect((await api.getRun(runId))?.status).toBe('running');
  await call(api, 'POST', '/api/v1/signals', {
    name: signal,
    params: { table: 'sales', rows: 5 },
    signalId: `${id}-s1`,
  });
  const run = await api.waitForRun(runId, isTerminal, 30_000);
  expect(run.status).toBe('succeeded');
  expect(stepOf(run, 'wait')?.outputs).toEqual({ rows: 5 });

  // A signal trigger: the same signal id twice starts one run.
  const triggered = `${prefix}.signal-triggered`;
  const rerun = `${prefix}.rerun`;
  await api.push(`
id: ${triggered}
params:
  mode: { type: string, default: delta }
triggers:
  signals:
    - signal: ${rerun}
      match: { job: nightly }
      params: { mode: "\${signal.params.mode}" }
steps:
  - id: work
    type: noop
`);
  // No wait after the push: the router reads the registry before routing a signal.
  for (let i = 0; i < 2; i++) {
    await call(api, 'POST', '/api/v1/signals', {
      name: rerun,
      params: { job: 'nightly', mode: 'full' },
      signalId: `${triggered}-once`,
    });
  }
  const runs = await waitForRunsOf(api, triggered, 1, 30_000);
  await sleep(1_500);
  expect(await api.listRuns(triggered)).toHaveLength(1);
  const triggeredRun = await api.waitForRun(runs[0].runId, isTerminal, 30_000);
  expect(triggeredRun).toMatchObject({ status: 'succeeded', params: { mode: 'full' } });
  return [runId, triggeredRun.runId];
}

export async function restartScenario(api: BatonApi, prefix: string): Promise<string> {
  const id = `${prefix}.restart`;
  await api.push(`
id: ${id}
params:
  fail: { type: boolean, default: true }
steps:
  - id: first
    type: noop
    outputs:
      value: "41"
  - id: flaky
    type: shell
    depends_on: [first]
    command: [sh, -c, 'if [ "$FAIL" = "true" ]; then echo boom >&2; exit 2; fi; echo ok']
    env:
      FAIL: \${params.fail}
  - id: last
    type: noop
    depends_on: [flaky]
`);
  const runId = await api.start(id, {}, requestId(id));
  const failed = await api.waitForRun(runId, isTerminal, 30_000);
  expect(failed.status).toBe('failed');
  await call(api, 'POST', `/api/v1/runs/${runId}/restart`, { mode: 'incomplete', params: { fail: false } });
  const done = await api.waitForRun(runId, (r) => r.status === 'succeeded', 30_000);
  expect(done.runAttempt).toBe(2);
  // `first` kept its attempt 1; `flaky` ran again as attempt 2.
  expect(stepOf(done, 'first')?.attempt).toBe(1);
  expect(stepOf(done, 'flaky')?.attempt).toBe(2);
  expect(stepOf(done, 'last')?.status).toBe('succeeded');
  return runId;
}

export async function actionsScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.actions`;
  await api.push(`
id: ${id}
steps:
  - id: a
    type: noop
  - id: b
    type: noop
    depends_on: [a]
  - id: slow
    type: shell
    depends_on: [b]
    command: [sh, -c, 'sleep 30']
  - id: c
    type: noop
    depends_on: [slow]
`);
  // Breakpoint on b, then resume; skip the slow step: the run succeeds with c run.
  const runId = await startWith(api, id, { breakpoints: ['b'] });
  await api.waitForRun(runId, stepIs('b', 'paused'), 30_000);
  await call(api, 'POST', `/api/v1/runs/${runId}/steps/b/resume`, {});
  await api.waitForRun(runId, stepIs('slow', 'running'), 30_000);
  await call(api, 'POST', `/api/v1/runs/${runId}/steps/slow/skip`, { reason: 'not needed today' });
  const skipped = await api.waitForRun(runId, isTerminal, 30_000);
  expect(skipped.status).toBe('succeeded');
  expect(stepOf(skipped, 'slow')?.status).toBe('skipped');
  expect(stepOf(skipped, 'c')?.status).toBe('succeeded');

  // Stop: the running step is left to finish... here it is killed instead, and c never starts.
  const killedId = await api.start(id, {}, requestId(id));
  await api.waitForRun(killedId, stepIs('slow', 'running'), 30_000);
  await call(api, 'POST', `/api/v1/runs/${killedId}/kill`, { reason: 'e2e kill' });
  const killed = await api.waitForRun(killedId, isTerminal, 30_000);
  expect(killed.status).toBe('cancelled');
  expect(stepOf(killed, 'c')?.status).toBe('pending');

  // Stop: the running step is left to finish, nothing after it starts, the run ends cancelled.
  const stopped = `${prefix}.stop`;
  await api.push(`
id: ${stopped}
steps:
  - id: slow
    type: shell
    command: [sh, -c, 'sleep 2']
  - id: after
    type: noop
    depends_on: [slow]
`);
  const stoppedId = await api.start(stopped, {}, requestId(stopped));
  await api.waitForRun(stoppedId, stepIs('slow', 'running'), 30_000);
  await call(api, 'POST', `/api/v1/runs/${stoppedId}/stop`, { reason: 'e2e stop' });
  const stoppedRun = await api.waitForRun(stoppedId, isTerminal, 30_000);
  expect(stoppedRun.status).toBe('cancelled');
  expect(stepOf(stoppedRun, 'slow')?.status).toBe('succeeded');
  expect(stepOf(stoppedRun, 'after')?.status).toBe('pending');
  return [runId, killedId, stoppedId];
}

export async function pauseScenario(api: BatonApi, prefix: string): Promise<string> {
  const id = `${prefix}.pause`;
  await api.push(`
id: ${id}
steps:
  - id: work
    type: noop
`);
  await call(api, 'POST', `/api/v1/workflows/${id}/pause`);
  await sleep(1_000);
  const runId = await api.start(id, {}, requestId(id));
  // Paused: the request waits in the queue; no run starts.
  let queued = 0;
  for (let i = 0; i < 50 && queued === 0; i++) {
    queued = (
      await call<{ queuedCount: number }>(api, 'GET', `/api/v1/workflows/${id}/queue`, undefined, [200])
    ).queuedCount;
    if (queued === 0) await sleep(100);
  }
  expect(queued).toBe(1);
  // GET /runs/{id} shows the waiting run as queued, with no steps yet.
  expect(await api.getRun(runId)).toMatchObject({ runId, status: 'queued', lastSeq: 0, steps: [] });
  await call(api, 'POST', `/api/v1/workflows/${id}/resume`);
  const run = await api.waitForRun(runId, isTerminal, 30_000);
  expect(run.status).toBe('succeeded');
  return runId;
}

export async function sequentialScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.sequential`;
  await api.push(`
id: ${id}
run_strategy: sequential
steps:
  - id: work
    type: shell
    command: [sh, -c, 'sleep 1']
`);
  const runIds = await api.startMany(
    [0, 1, 2].map(() => ({ workflowId: id, params: {}, requestId: requestId(id) })),
    1,
  );
  // The queue shows the waiting runs (once its projection caught up).
  let queuedSeen = 0;
  for (let i = 0; i < 40 && queuedSeen === 0; i++) {
    const queue = await call<{ queuedCount: number }>(
      api,
      'GET',
      `/api/v1/workflows/${id}/queue`,
      undefined,
      [200],
    );
    queuedSeen = queue.queuedCount;
    if (queuedSeen === 0) await sleep(100);
  }
  expect(queuedSeen).toBeGreaterThanOrEqual(1);
  const runs = await api.waitForAll(runIds, isTerminal, 60_000);
  const spans = runIds
    .map((runId) => runs.get(runId)!)
    .map((r) => ({ status: r.status, start: r.startedAt ?? 0, end: r.endedAt ?? 0 }))
    .sort((x, y) => x.start - y.start);
  expect(spans.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  // One at a time: each run starts after the previous one ended.
  for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
  return runIds;
}

export async function cronScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.cron`;
  await api.push(`
id: ${id}
triggers:
  cron:
    - schedule: '*/2 * * * * *'
      timezone: Europe/Berlin
steps:
  - id: tick
    type: noop
`);
  const runs = await waitForRunsOf(api, id, 2, 30_000);
  await call(api, 'POST', `/api/v1/workflows/${id}/deactivate`, {}, [200, 202, 204]);
  await sleep(3_000);
  const after = await api.listRuns(id);
  // One run per tick: each run's request id names its tick, and no tick has two runs.
  const ticks = after.map((r) => r.requestId);
  expect(ticks.every((t) => t.startsWith('cron:'))).toBe(true);
  expect(new Set(ticks).size).toBe(ticks.length);
  await sleep(3_000);
  expect((await api.listRuns(id)).length).toBe(after.length);
  return runs.map((r) => r.runId);
}

export async function waitForRunsOf(api: BatonApi, workflowId: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await api.listRuns(workflowId);
    if (runs.length >= count) return runs;
    if (Date.now() > deadline)
      throw new Error(`${workflowId}: ${runs.length} runs after ${timeoutMs} ms, wanted ${count}`);
    await sleep(250);
  }
}
