import { isTerminal, type BatonApi, type RunSummary } from './api-client';
import { withHeldRuns } from './held-runs';
import { call } from './parity-scenarios';

/**
 * The run strategies end to end, on runs the test holds and releases (see
 * `HeldRuns`). States are read from the API (run list, run, queue); the
 * queue's own record on `baton.workflow-events` gives the exact sequence of
 * its decisions.
 */

/**
 * strict_sequential: a failed run blocks the workflow; the runs requested
 * meanwhile stay queued until it is unblocked, then run one at a time. A
 * second failure is cleared the other way: restarting the failed run until
 * it succeeds unblocks the workflow.
 */
export async function strictSequentialScenario(
  api: BatonApi,
  brokers: readonly string[],
  prefix: string,
): Promise<string[]> {
  return withHeldRuns(api, brokers, `${prefix}.strict`, 'strict_sequential', async (runs) => {
    await runs.request('r1', { fail: true });
    await runs.held('r1');
    await runs.request('r2');
    await runs.request('r3');
    await runs.waitForQueue({ running: ['r1'], queued: ['r2', 'r3'] });

    await runs.release('r1');
    expect((await runs.ended('r1')).status).toBe('failed');
    await runs.waitForQueue({ running: [], queued: ['r2', 'r3'], blockedBy: 'r1' });
    // The queue decided r1's end in one step: it blocked and admitted nobody.
    expect(await runs.decisions((d) => d.includes('WorkflowBlocked r1'))).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunQueued r2',
      'RunQueued r3',
      'RunFinished r1 failed',
      'WorkflowBlocked r1',
    ]);
    await runs.expectQueued('r2');
    await runs.expectQueued('r3');

    await call(api, 'POST', `/api/v1/workflows/${runs.workflowId}/unblock`);
    await runs.waitForQueue({ running: ['r2'], queued: ['r3'] });
    await runs.held('r2');
    await runs.expectQueued('r3');
    await runs.release('r2');
    expect((await runs.ended('r2')).status).toBe('succeeded');
    await runs.waitForQueue({ running: ['r3'], queued: [] });
    await runs.release('r3');
    expect((await runs.ended('r3')).status).toBe('succeeded');

    // Blocked again by r4; restarting r4 with fail=false succeeds and lets r5 start.
    await runs.request('r4', { fail: true });
    await runs.held('r4');
    await runs.request('r5');
    await runs.waitForQueue({ running: ['r4'], queued: ['r5'] });
    await runs.release('r4');
    expect((await runs.ended('r4')).status).toBe('failed');
    await runs.waitForQueue({ running: [], queued: ['r5'], blockedBy: 'r4' });
    await call(api, 'POST', `/api/v1/runs/${runs.id('r4')}/restart`, {
      mode: 'incomplete',
      params: { fail: false },
    });
    const restarted = await api.waitForRun(runs.id('r4'), (r) => r.runAttempt === 2 && isTerminal(r));
    expect(restarted.status).toBe('succeeded');
    await runs.waitForQueue({ running: ['r5'], queued: [] });
    await runs.release('r5');
    expect((await runs.ended('r5')).status).toBe('succeeded');

    expect(await runs.decisions((d) => d.includes('RunFinished r5 succeeded'))).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunQueued r2',
      'RunQueued r3',
      'RunFinished r1 failed',
      'WorkflowBlocked r1',
      'WorkflowUnblocked r1 unblocked',
      'RunAdmitted r2 from queue',
      'RunFinished r2 succeeded',
      'RunAdmitted r3 from queue',
      'RunFinished r3 succeeded',
      'RunAdmitted r4',
      'RunQueued r5',
      'RunFinished r4 failed',
      'WorkflowBlocked r4',
      'WorkflowUnblocked r4 run_succeeded',
      'RunAdmitted r5 from queue',
      'RunFinished r5 succeeded',
    ]);
    // One at a time: each run started after the one before it ended (r5 after r4's successful restart).
    const listed = await runs.listed();
    expect([...listed.keys()].sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(timeOf(listed, 'r2', 'startedAt')).toBeGreaterThanOrEqual(timeOf(listed, 'r1', 'endedAt'));
    expect(timeOf(listed, 'r3', 'startedAt')).toBeGreaterThanOrEqual(timeOf(listed, 'r2', 'endedAt'));
    expect(timeOf(listed, 'r4', 'startedAt')).toBeGreaterThanOrEqual(timeOf(listed, 'r3', 'endedAt'));
    expect(timeOf(listed, 'r5', 'startedAt')).toBeGreaterThanOrEqual(timeOf(listed, 'r4', 'endedAt'));
    return runs.runIds();
  });
}

/**
 * first_only: while a run runs, new requests are dropped (202 with a run id
 * that never starts: GET answers 410, the queue lists the drop); a request
 * after it ended starts.
 */
export async function firstOnlyScenario(
  api: BatonApi,
  brokers: readonly string[],
  prefix: string,
): Promise<string[]> {
  return withHeldRuns(api, brokers, `${prefix}.first-only`, 'first_only', async (runs) => {
    await runs.request('r1');
    await runs.held('r1');
    await runs.request('r2');
    await runs.request('r3');
    const dropped = await runs.decisions((d) => d.includes('RunRequestDropped r3 first_only_busy'));
    expect(dropped).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunRequestDropped r2 first_only_busy',
      'RunRequestDropped r3 first_only_busy',
    ]);
    // Seqs run 1, 2, 3... per workflow: once the read model reflects the
    // last drop, the API shows both as runs that never were (410), and the queue lists them.
    await runs.waitForQueue({ running: ['r1'], queued: [], fromSeq: dropped.length });
    expect(await runs.recentlyDropped()).toEqual(['r3 first_only_busy', 'r2 first_only_busy']);
    await runs.expectDropped('r2', 'first_only_busy');
    await runs.expectDropped('r3', 'first_only_busy');

    await runs.release('r1');
    expect((await runs.ended('r1')).status).toBe('succeeded');
    // Requested once r1 shows as ended: the queue has its end before this request.
    await runs.request('r4');
    await runs.release('r4');
    expect((await runs.ended('r4')).status).toBe('succeeded');

    expect(await runs.decisions((d) => d.includes('RunFinished r4 succeeded'))).toEqual([
      ...dropped,
      'RunFinished r1 succeeded',
      'RunAdmitted r4',
      'RunFinished r4 succeeded',
    ]);
    expect(await runs.statuses()).toEqual({ r1: 'succeeded', r4: 'succeeded' });
    return runs.runIds();
  });
}

/**
 * serial_latest_only (what last_only did before Maestro's last_only):
 * requests arriving while a run runs replace each other in the queue; the
 * running run finishes, then only the newest runs, the others are dropped as
 * superseded (GET answers 410, the queue lists the drops).
 */
export async function serialLatestOnlyScenario(
  api: BatonApi,
  brokers: readonly string[],
  prefix: string,
): Promise<string[]> {
  return withHeldRuns(api, brokers, `${prefix}.serial-latest-only`, 'serial_latest_only', async (runs) => {
    await runs.request('r1');
    await runs.held('r1');
    await runs.request('r2');
    await runs.request('r3');
    await runs.request('r4');
    // r4 waiting alone means the queue has decided all three requests.
    await runs.waitForQueue({ running: ['r1'], queued: ['r4'] });
    expect(await runs.recentlyDropped()).toEqual(['r3 superseded', 'r2 superseded']);
    await runs.expectDropped('r2', 'superseded');
    await runs.expectDropped('r3', 'superseded');
    await runs.expectQueued('r4');

    await runs.release('r1');
    expect((await runs.ended('r1')).status).toBe('succeeded');
    await runs.waitForQueue({ running: ['r4'], queued: [] });
    await runs.release('r4');
    expect((await runs.ended('r4')).status).toBe('succeeded');

    expect(await runs.decisions((d) => d.includes('RunFinished r4 succeeded'))).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunQueued r2',
      'RunRequestDropped r2 superseded',
      'RunQueued r3',
      'RunRequestDropped r3 superseded',
      'RunQueued r4',
      'RunFinished r1 succeeded',
      'RunAdmitted r4 from queue',
      'RunFinished r4 succeeded',
    ]);
    expect(await runs.statuses()).toEqual({ r1: 'succeeded', r4: 'succeeded' });
    await runs.expectDropped('r2', 'superseded');
    await runs.expectDropped('r3', 'superseded');
    return runs.runIds();
  });
}

/**
 * last_only (Maestro's): a request while a run runs stops that run through
 * its kill path (it ends cancelled, its waiting step cancelled) and runs as
 * soon as it has ended; requests meanwhile supersede the waiting one.
 */
export async function lastOnlyScenario(
  api: BatonApi,
  brokers: readonly string[],
  prefix: string,
): Promise<string[]> {
  return withHeldRuns(api, brokers, `${prefix}.last-only`, 'LAST_ONLY', async (runs) => {
    await runs.request('r1');
    await runs.held('r1');
    await runs.request('r2');
    const stopped = await runs.ended('r1');
    expect(stopped.status).toBe('cancelled');
    expect(stopped.steps.find((step) => step.stepId === 'hold')?.status).toBe('cancelled');
    await runs.held('r2');
    await runs.waitForQueue({ running: ['r2'], queued: [] });
    await runs.release('r2');
    expect((await runs.ended('r2')).status).toBe('succeeded');

    expect(await runs.decisions((d) => d.includes('RunFinished r2 succeeded'))).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunStopRequested r1',
      'RunQueued r2',
      'RunFinished r1 cancelled',
      'RunAdmitted r2 from queue',
      'RunFinished r2 succeeded',
    ]);
    expect(await runs.statuses()).toEqual({ r1: 'cancelled', r2: 'succeeded' });
    return runs.runIds();
  });
}

/**
 * parallel with max_concurrent 2: five requests; two run, three wait in
 * request order, and each run's end lets the next one in. At every poll
 * neither the queue nor the run list shows more than two running, and the
 * runs' start and end times never overlap more than two deep.
 */
export async function parallelLimitScenario(
  api: BatonApi,
  brokers: readonly string[],
  prefix: string,
): Promise<string[]> {
  const limit = 2;
  const strategy = `{ type: parallel, max_concurrent: ${limit} }`;
  return withHeldRuns(api, brokers, `${prefix}.parallel-limit`, strategy, async (runs) => {
    const names = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const name of names) await runs.request(name);
    for (let i = 0; i < names.length; i++) {
      // Every run released so far shows as ended here, and the others cannot
      // end before their signal: the run list's unfinished runs are running.
      await runs.waitForQueue(
        { running: names.slice(i, i + limit), queued: names.slice(i + limit) },
        async (queue) => {
          expect(queue.runningCount).toBeLessThanOrEqual(limit);
          const unfinished = [...(await runs.listed()).values()].filter((run) => !isTerminal(run));
          expect(unfinished.length).toBeLessThanOrEqual(limit);
        },
      );
      await runs.release(names[i]);
      const ended = await runs.ended(names[i]);
      expect({ run: names[i], status: ended.status }).toEqual({ run: names[i], status: 'succeeded' });
    }

    const listed = await runs.listed();
    expect(names.map((name) => listed.get(name)?.status)).toEqual(names.map(() => 'succeeded'));
    expect(maxOverlap([...listed.values()])).toBe(limit);
    expect(await runs.decisions((d) => d.includes('RunFinished r5 succeeded'))).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted r1',
      'RunAdmitted r2',
      'RunQueued r3',
      'RunQueued r4',
      'RunQueued r5',
      'RunFinished r1 succeeded',
      'RunAdmitted r3 from queue',
      'RunFinished r2 succeeded',
      'RunAdmitted r4 from queue',
      'RunFinished r3 succeeded',
      'RunAdmitted r5 from queue',
      'RunFinished r4 succeeded',
      'RunFinished r5 succeeded',
    ]);
    return runs.runIds();
  });
}

/** Run `name`'s start or end time; throws if it has none (the run did not start or end). */
function timeOf(runs: ReadonlyMap<string, RunSummary>, name: string, field: 'startedAt' | 'endedAt'): number {
  const at = runs.get(name)?.[field];
  if (at == null) throw new Error(`run ${name} has no ${field}`);
  return at;
}

/** The most runs whose [startedAt, endedAt] spans cover one instant (an end at the instant of a start does not overlap it). */
function maxOverlap(runs: readonly RunSummary[]): number {
  const edges = runs.flatMap((run) => {
    if (run.startedAt === null || run.endedAt === null) {
      throw new Error(`run ${run.runId} (${run.status}) has no start or end time`);
    }
    return [
      { at: run.startedAt, step: 1 },
      { at: run.endedAt, step: -1 },
    ];
  });
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let depth = 0;
  let max = 0;
  for (const edge of edges) {
    depth += edge.step;
    max = Math.max(max, depth);
  }
  return max;
}
