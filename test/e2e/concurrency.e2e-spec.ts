import { DEFAULT_WORKFLOW_CONCURRENCY } from '@baton/domain';
import type { RunEventRecord } from '@baton/readmodel';
import type { WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import { BatonApi } from './support/api-client';
import { freePort, tempDir } from './support/env';
import { call } from './support/parity-scenarios';
import { ProcessGroup, sleep } from './support/processes';

// Concurrency bounds on the all-in-one embedded default: the default bound
// on a parallel workflow's concurrent runs, and a run's step_concurrency.

jest.setTimeout(180_000);

/** Every run waits at a long sleep until the test kills it (sleep steps need no executor). */
const WIDE = `
id: e2e.bound.default
steps:
  - { id: nap, type: sleep, duration: 10m }
`;

/** Five independent one-second sleeps, at most two at once. */
const STEPPED = `
id: e2e.bound.steps
step_concurrency: 2
steps:
${['a', 'b', 'c', 'd', 'e'].map((id) => `  - { id: ${id}, type: sleep, duration: 1s }`).join('\n')}
`;

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The most steps the run had active at once, from its events in seq order. */
function mostStepsAtOnce(events: readonly RunEventRecord[]): number {
  let active = 0;
  let most = 0;
  for (const { type } of events) {
    if (type === 'StepReady') most = Math.max(most, ++active);
    else if (['StepSucceeded', 'StepFailed', 'StepCancelled'].includes(type)) active--;
  }
  return most;
}

describe('concurrency bounds on the embedded default', () => {
  const dir = tempDir('concurrency');
  const group = new ProcessGroup(dir.path);
  let api: BatonApi;
  let failed = false;

  beforeAll(async () => {
    const baton = group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: { BATON_DATA_DIR: `${dir.path}/data`, BATON_EXAMPLES_DIR: '' },
    });
    await group.guard(() => baton.start());
    api = new BatonApi(baton.url);
  });

  afterAll(async () => {
    await group.stopAll();
    if (!failed) dir.remove();
  });

  const guarded = (body: () => Promise<void>) => async () => {
    try {
      await group.guard(body);
    } catch (error) {
      failed = true;
      throw error;
    }
  };

  it(
    `runs at most ${DEFAULT_WORKFLOW_CONCURRENCY} runs of a parallel workflow with no max_concurrent; the rest wait`,
    guarded(async () => {
      const { workflowId } = await api.push(WIDE);
      const extra = 3;
      const requests = Array.from({ length: DEFAULT_WORKFLOW_CONCURRENCY + extra }, (_, i) => ({
        workflowId,
        params: {},
        requestId: `wide-${i}`,
      }));
      const runIds = await api.startMany(requests, 4);
      const queue = () =>
        call<WorkflowQueueView>(api, 'GET', `/api/v1/workflows/${workflowId}/queue`, undefined, [200]);
      const full = await until('the queue to decide every request', async () => {
        const view = await queue();
        return view.runningCount + view.queuedCount === runIds.length ? view : null;
      });
      expect(full).toMatchObject({ runningCount: DEFAULT_WORKFLOW_CONCURRENCY, queuedCount: extra });
      expect(full.queued.map((q) => q.runId)).toEqual(runIds.slice(DEFAULT_WORKFLOW_CONCURRENCY));

      // Killing the running runs lets the waiting ones start, in request order; kill them too.
      for (const runId of full.running) await api.cancel(runId);
      const rest = await until('the waiting runs to start', async () => {
        const view = await queue();
        return view.queuedCount === 0 && view.runningCount === extra ? view : null;
      });
      expect([...rest.running].sort()).toEqual(runIds.slice(DEFAULT_WORKFLOW_CONCURRENCY).sort());
      for (const runId of rest.running) await api.cancel(runId);
      const ended = await api.waitForAll(runIds);
      expect([...ended.values()].every((run) => run.status === 'cancelled')).toBe(true);
    }),
  );

  it(
    'runs at most step_concurrency steps of a run at once, the others once a slot frees',
    guarded(async () => {
      const { workflowId } = await api.push(STEPPED);
      const runId = await api.start(workflowId, {}, 'stepped-1');
      const run = await api.waitForRun(runId, undefined, 60_000);
      expect(run.status).toBe('succeeded');
      const events = await api.events(runId);
      expect(events.filter((e) => e.type === 'StepReady')).toHaveLength(5);
      expect(mostStepsAtOnce(events)).toBe(2);
    }),
  );
});
