import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonApi, describeRun, isTerminal, step, type RunDetail, type RunSummary } from './api-client';
import { isAlive } from './invariants';
import { sleep } from './processes';
import { RUN_TAG, uniqueWorkflowId } from './env';
import { crashWorkflow, diamondWorkflow, longStepWorkflow, retryWorkflow, smallWorkflow } from './workflows';

/**
 * The scenarios both the embedded and the Kafka suites run against a live
 * API: each pushes nothing (see `pushWorkflows`), starts runs, asserts the
 * outcome as a user sees it through the REST API, and answers the run ids so
 * the suite can audit the log at the end.
 */
export interface SuiteWorkflows {
  readonly diamond: string;
  readonly retry: string;
  readonly timeout: string;
  readonly cancel: string;
  readonly small: string;
  readonly crash: string;
}

export async function pushWorkflows(api: BatonApi, suite: string): Promise<SuiteWorkflows> {
  const ids: SuiteWorkflows = {
    diamond: uniqueWorkflowId(suite, 'diamond'),
    retry: uniqueWorkflowId(suite, 'retry'),
    timeout: uniqueWorkflowId(suite, 'timeout'),
    cancel: uniqueWorkflowId(suite, 'cancel'),
    small: uniqueWorkflowId(suite, 'small'),
    crash: uniqueWorkflowId(suite, 'crash'),
  };
  await api.push(diamondWorkflow(ids.diamond));
  await api.push(retryWorkflow(ids.retry));
  await api.push(longStepWorkflow(ids.timeout, '1s'));
  await api.push(longStepWorkflow(ids.cancel, null));
  await api.push(smallWorkflow(ids.small));
  await api.push(crashWorkflow(ids.crash));
  return ids;
}

export function requestId(name: string): string {
  return `${name}-${RUN_TAG}`;
}

/** (a) The diamond both ways: the condition taken (mode full) and skipped (mode delta). */
export async function diamondScenario(api: BatonApi, workflowId: string): Promise<string[]> {
  const full = await api.start(workflowId, { mode: 'full' }, requestId('diamond-full'));
  const delta = await api.start(workflowId, { mode: 'delta', rows: 3 }, requestId('diamond-delta'));
  const fullRun = await api.waitForRun(full, isTerminal, 30_000);
  const deltaRun = await api.waitForRun(delta, isTerminal, 30_000);

  expect(fullRun.status).toBe('succeeded');
  expect(fullRun.params).toEqual({ mode: 'full', rows: 10, region: 'all' });
  expect(statuses(fullRun)).toEqual({
    extract: 'succeeded',
    transform_full: 'succeeded',
    transform_delta: 'succeeded',
    load: 'succeeded',
  });
  expect(step(fullRun, 'extract').outputs).toEqual({ rows: 10 });

  expect(deltaRun.status).toBe('succeeded');
  expect(deltaRun.params).toEqual({ mode: 'delta', rows: 3, region: 'eu' });
  expect(statuses(deltaRun)).toEqual({
    extract: 'succeeded',
    transform_full: 'skipped',
    transform_delta: 'succeeded',
    load: 'succeeded',
  });
  expect(step(deltaRun, 'transform_full').skipReason).toBe('condition_false');
  expect(step(deltaRun, 'transform_full').attempts).toEqual([]);
  expect((await api.logs(delta, 'extract')).stdoutTail).toBe('extract eu\n');
  return [full, delta];
}

/** (b) A shell step that fails on attempt 1 and succeeds on attempt 2; both attempts and their logs are kept. */
export async function retryScenario(api: BatonApi, workflowId: string): Promise<string[]> {
  const runId = await api.start(workflowId, {}, requestId('retry'));
  const run = await api.waitForRun(runId, isTerminal, 30_000);
  expect(run.status).toBe('succeeded');
  const flaky = step(run, 'flaky');
  expect(flaky.status).toBe('succeeded');
  expect(flaky.attempt).toBe(2);
  expect(
    flaky.attempts.map((a) => ({ attempt: a.attempt, status: a.status, errorKind: a.errorKind })),
  ).toEqual([
    { attempt: 1, status: 'failed', errorKind: 'user' },
    { attempt: 2, status: 'succeeded', errorKind: null },
  ]);
  expect(flaky.attempts[0].message).toContain('exited with code 3');
  const first = await api.logs(runId, 'flaky', 1);
  expect(first.stderrTail).toContain('transient failure on attempt 1');
  // Step logs are their own stream (baton.step-logs), projected apart from the run's events: the
  // last attempt's tail may land a moment after the run shows succeeded.
  let latest = await api.logs(runId, 'flaky');
  for (const deadline = Date.now() + 5_000; latest.attempt < 2 && Date.now() < deadline;) {
    await sleep(50);
    latest = await api.logs(runId, 'flaky');
  }
  expect(latest.attempt).toBe(2);
  expect(latest.stdoutTail).toContain('ok on attempt 2');
  expect(latest.stderrTail).toBe('');
  return [runId];
}

/** (c) `timeout: 1s` on a 30 s step: the attempt times out, the run fails, the step's processes are killed. */
export async function timeoutScenario(api: BatonApi, workflowId: string, dir: string): Promise<string[]> {
  const pidFile = join(dir, `timeout-${RUN_TAG}.pid`);
  const startedAt = Date.now();
  const runId = await api.start(workflowId, { pid_file: pidFile }, requestId('timeout'));
  const run = await api.waitForRun(runId, isTerminal, 30_000);
  const tookMs = Date.now() - startedAt;
  expect(run.status).toBe('failed');
  expect(run.failure).toMatchObject({ stepId: 'long' });
  const long = step(run, 'long');
  expect(long.status).toBe('failed');
  expect(long.errorKind).toBe('timeout');
  expect(long.attempts.map((a) => [a.attempt, a.status, a.errorKind])).toEqual([[1, 'timed_out', 'timeout']]);
  expect(step(run, 'after').status).not.toBe('succeeded');
  expect(tookMs).toBeLessThan(15_000);
  await expectProcessesGone(pidFile, 15_000);
  return [runId];
}

/** (d) Cancelling a run whose shell step is running: run and step cancelled, the processes killed. */
export async function cancelScenario(api: BatonApi, workflowId: string, dir: string): Promise<string[]> {
  const pidFile = join(dir, `cancel-${RUN_TAG}.pid`);
  const runId = await api.start(workflowId, { pid_file: pidFile }, requestId('cancel'));
  await api.waitForRun(runId, (r) => step(r, 'long').status === 'running' && existsSync(pidFile), 30_000);
  await api.cancel(runId, 'e2e cancel');
  const run = await api.waitForRun(runId, isTerminal, 30_000);
  expect(run.status).toBe('cancelled');
  expect(step(run, 'long').status).toBe('cancelled');
  expect(step(run, 'after').status).not.toBe('succeeded');
  await expectProcessesGone(pidFile, 15_000);
  return [runId];
}

export interface ConcurrentResult {
  readonly runIds: string[];
  readonly succeeded: number;
  readonly failed: number;
  readonly startMs: number;
  readonly totalMs: number;
  readonly summaries: Map<string, RunSummary>;
}

/** (e) `count` runs of the small DAG at once, every `failEvery`-th asked to fail; each ends as asked. */
export async function concurrentScenario(
  api: BatonApi,
  workflowId: string,
  count: number,
  failEvery = 4,
  timeoutMs = 120_000,
): Promise<ConcurrentResult> {
  const shouldFail = (i: number) => i % failEvery === failEvery - 1;
  const requests = Array.from({ length: count }, (_, i) => ({
    workflowId,
    params: { outcome: shouldFail(i) ? 'fail' : 'ok' },
    requestId: requestId(`load-${i}`),
  }));
  const began = Date.now();
  const runIds = await api.startMany(requests, 20);
  const startMs = Date.now() - began;
  const summaries = await api.waitForAll(runIds, isTerminal, timeoutMs);
  const totalMs = Date.now() - began;
  const wrong = runIds
    .map((id, i) => ({ id, expected: shouldFail(i) ? 'failed' : 'succeeded', run: summaries.get(id)! }))
    .filter(
      ({ expected, run }) =>
        run.status !== expected || (expected === 'failed' && run.failure?.stepId !== 'b'),
    )
    .map(
      ({ id, expected, run }) =>
        `${id}: expected ${expected}, got ${run.status} ${JSON.stringify(run.failure)}`,
    );
  expect(wrong).toEqual([]);
  expect(new Set(runIds).size).toBe(count);
  return {
    runIds,
    succeeded: runIds.filter((_, i) => !shouldFail(i)).length,
    failed: runIds.filter((_, i) => shouldFail(i)).length,
    startMs,
    totalMs,
    summaries,
  };
}

/** Runs of the crash workflow; each shell step appends to `marksFile` when it finishes. */
export async function startCrashRuns(
  api: BatonApi,
  workflowId: string,
  count: number,
  marksFile: string,
  name: string,
): Promise<string[]> {
  return api.startMany(
    Array.from({ length: count }, (_, i) => ({
      workflowId,
      params: { marks: marksFile, tag: `${name}-${i}` },
      requestId: requestId(`${name}-${i}`),
    })),
    20,
  );
}

/** Every run succeeded with every step succeeded once; answers how often shell steps ran (at least once each). */
export async function expectCrashRunsSucceeded(
  api: BatonApi,
  runIds: readonly string[],
  marksFile: string,
  name: string,
): Promise<{ executions: number; reExecutions: number; details: RunDetail[] }> {
  const details: RunDetail[] = [];
  for (const runId of runIds) {
    const run = await api.getRun(runId);
    if (!run) throw new Error(`run ${runId} vanished from the read model`);
    details.push(run);
  }
  const notOk = details.filter(
    (r) => r.status !== 'succeeded' || r.steps.some((s) => s.status !== 'succeeded'),
  );
  expect(notOk.map((r) => `${r.runId}: ${describeRun(r)}`)).toEqual([]);
  const successes = details.flatMap((r) =>
    r.steps
      .filter((s) => s.attempts.filter((a) => a.status === 'succeeded').length !== 1)
      .map((s) => `${r.runId}/${s.stepId}: ${s.attempts.map((a) => a.status).join(',')}`),
  );
  expect(successes).toEqual([]);

  const marks = existsSync(marksFile) ? readFileSync(marksFile, 'utf8').split('\n').filter(Boolean) : [];
  const counts = new Map<string, number>();
  for (const line of marks) {
    const [tag, stepId] = line.split(' ');
    if (!tag.startsWith(`${name}-`)) continue;
    counts.set(`${tag}/${stepId}`, (counts.get(`${tag}/${stepId}`) ?? 0) + 1);
  }
  const neverRan: string[] = [];
  runIds.forEach((_, i) => {
    for (const stepId of ['extract', 'transform', 'load']) {
      if (!counts.has(`${name}-${i}/${stepId}`)) neverRan.push(`${name}-${i}/${stepId}`);
    }
  });
  expect(neverRan).toEqual([]);
  const executions = [...counts.values()].reduce((a, b) => a + b, 0);
  return { executions, reExecutions: executions - counts.size, details };
}

function statuses(run: RunDetail): Record<string, string> {
  return Object.fromEntries(run.steps.map((s) => [s.stepId, s.status]));
}

/** The shell and its background sleep (pids in `pidFile`) are gone within `timeoutMs`. */
async function expectProcessesGone(pidFile: string, timeoutMs: number): Promise<void> {
  expect(existsSync(pidFile)).toBe(true);
  const pids = readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
  expect(pids).toHaveLength(2);
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  expect(pids.filter(isAlive)).toEqual([]);
}
