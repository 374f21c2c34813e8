import type { BatonApi, RunDetail } from './api-client';
import { isTerminal } from './api-client';
import { call, requestId, waitForRunsOf } from './parity-scenarios';
import { sleep } from './processes';

/**
 * Signals as Maestro users rely on them, through the REST API of a running
 * installation: stored signals met by waits that open later, triggers on
 * several signals, and signals sent right after a push.
 */

const stepOf = (run: RunDetail, stepId: string) => run.steps.find((s) => s.stepId === stepId);

const send = (api: BatonApi, name: string, params: Record<string, unknown>, signalId?: string) =>
  call<{ signalId: string }>(api, 'POST', '/api/v1/signals', {
    name,
    params,
    ...(signalId === undefined ? {} : { signalId }),
  });

/** A signal published before the run starts waiting is stored and met; the same id twice is one signal. */
export async function storedSignalScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.stored-signal`;
  const signal = `${prefix}/warehouse/sales/loaded`;
  await api.push(`
id: ${id}
params:
  day: { type: string, required: true }
steps:
  - id: wait
    type: wait_for_signal
    signal: ${signal}
    match:
      day: \${params.day}
    timeout: 60s
    outputs:
      rows: result.params.rows
      signal_id: result.signal_id
`);
  // Published first, twice with one id (the second is answered as accepted too, and is no new signal).
  await send(api, signal, { day: 'd1', rows: 7 }, `${id}-d1`);
  await send(api, signal, { day: 'd1', rows: 99 }, `${id}-d1`);
  const early = await api.start(id, { day: 'd1' }, requestId(id));
  const met = await api.waitForRun(early, isTerminal, 30_000);
  expect(met.status).toBe('succeeded');
  expect(stepOf(met, 'wait')?.outputs).toEqual({ rows: 7, signal_id: `${id}-d1` });

  // No stored signal for d2: the run waits, and the next matching signal reaches it.
  const late = await api.start(id, { day: 'd2' }, requestId(id));
  await api.waitForRun(late, (run) => stepOf(run, 'wait')?.status === 'waiting', 30_000);
  await sleep(1_000);
  expect((await api.getRun(late))?.status).toBe('running');
  await send(api, signal, { day: 'd2', rows: 3 });
  const waited = await api.waitForRun(late, isTerminal, 30_000);
  expect(waited.status).toBe('succeeded');
  expect(stepOf(waited, 'wait')?.outputs).toMatchObject({ rows: 3 });
  return [early, late];
}

/** A trigger on two signals with a join key and a condition: one run per matching set, signals used once. */
export async function signalSetTriggerScenario(api: BatonApi, prefix: string): Promise<string[]> {
  const id = `${prefix}.signal-set`;
  const sales = `${prefix}.sales-loaded`;
  const fx = `${prefix}.fx-rates`;
  await api.push(`
id: ${id}
params:
  day: { type: string, required: true }
triggers:
  signals:
    - all:
        sales: { signal: ${sales}, match: { region: eu } }
        fx: { signal: ${fx} }
      join: [date]
      condition: signals.sales.params.version >= signals.fx.params.version
      params:
        day: \${signals.sales.params.date}
steps:
  - id: work
    type: noop
`);
  await send(api, sales, { region: 'eu', date: 'd1', version: 2 });
  await send(api, sales, { region: 'us', date: 'd2', version: 9 }); // not a member: region us
  await send(api, fx, { date: 'd2', version: 1 }); // no eu sales for d2 yet
  await send(api, fx, { date: 'd1', version: 1 }); // completes d1
  await send(api, sales, { region: 'eu', date: 'd2', version: 0 }); // 0 >= 1 is false: no run
  await send(api, fx, { date: 'd2', version: 0 }); // completes d2 with the eu sales signal
  await send(api, fx, { date: 'd1', version: 1 }); // d1's sales signal is used up: no run
  const runs = await waitForRunsOf(api, id, 2, 30_000);
  await sleep(2_000);
  const all = await api.listRuns(id);
  expect(all).toHaveLength(2);
  const done = await Promise.all(runs.map((r) => api.waitForRun(r.runId, isTerminal, 30_000)));
  expect(done.map((r) => [r.status, r.params.day]).sort()).toEqual([
    ['succeeded', 'd1'],
    ['succeeded', 'd2'],
  ]);
  return done.map((r) => r.runId);
}

/**
 * Pushes a signal-triggered workflow and sends its signal at once, `count`
 * times: every signal the API accepted after the push was acknowledged
 * starts its run (the issue saw 2 of 60 lost within 300 ms of the push).
 */
export async function signalAfterPushScenario(
  api: BatonApi,
  prefix: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}.race-${i}`;
    await api.push(`
id: ${id}
triggers:
  signals:
    - signal: ${prefix}/race/${i}
steps:
  - id: work
    type: noop
`);
    await send(api, `${prefix}/race/${i}`, { i });
    ids.push(id);
  }
  const runIds: string[] = [];
  for (const id of ids) {
    const [run] = await waitForRunsOf(api, id, 1, 30_000);
    runIds.push(run.runId);
  }
  await sleep(1_000);
  for (const id of ids) expect(await api.listRuns(id)).toHaveLength(1);
  return runIds;
}
