import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatonApi, RunDetail } from '../../e2e/support/api-client';
import { isTerminal } from '../../e2e/support/api-client';
import { call } from '../../e2e/support/parity-scenarios';
import { WORKFLOWS_DIR } from './history';

/**
 * The runs recorded as golden histories: each pushes fixed workflows from
 * `test/golden/workflows/` and drives them through the REST API only, the
 * way an operator would. One history file per scenario; what belongs to it
 * is found on the log by its workflow ids (runs, their child runs, their
 * workflow-queue events) and its signal names.
 */
export interface GoldenScenario {
  readonly name: string;
  /**
   * Workflow files (without `.yaml`), pushed in this order; `as` pushes a
   * file under another id, so scenarios of one workflow keep apart (each
   * workflow id has its own queue and event sequence).
   */
  readonly workflows: readonly (string | { readonly file: string; readonly as: string })[];
  /** Signal names whose records on `baton.signals` belong to this history. */
  readonly signals?: readonly string[];
  drive(api: BatonApi): Promise<void>;
}

const stepOf = (run: RunDetail, stepId: string) => run.steps.find((s) => s.stepId === stepId);
const stepIs = (stepId: string, status: string) => (run: RunDetail) => stepOf(run, stepId)?.status === status;

/** Starts a run with a fixed request id (a re-recording asks for the same runs). */
async function start(api: BatonApi, workflowId: string, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await call<{ runId: string }>(api, 'POST', `/api/v1/workflows/${workflowId}/runs`, {
    requestId: `${workflowId}-1`,
    params: {},
    ...body,
  });
  return answer.runId;
}

async function finished(api: BatonApi, runId: string, status: string): Promise<RunDetail> {
  const run = await api.waitForRun(runId, isTerminal, 60_000);
  if (run.status !== status) throw new Error(`run ${runId} ended ${run.status}, expected ${status}`);
  return run;
}

const signal = (api: BatonApi, name: string, params: Record<string, unknown>, signalId: string) =>
  call(api, 'POST', '/api/v1/signals', { name, params, signalId });

/** Runs of a workflow as listed by the API, waiting until `count` are there. */
async function runsOf(api: BatonApi, workflowId: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const runs = await api.listRuns(workflowId);
    if (runs.length >= count) return runs.map((run) => run.runId);
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${workflowId}: fewer than ${count} runs after 30 s`);
}

/** One run of `golden.<name>` that ends `status` by itself. */
function oneRun(name: string, status: string, workflows: readonly string[] = [name]): GoldenScenario {
  return {
    name,
    workflows,
    drive: async (api) => void (await finished(api, await start(api, `golden.${name}`), status)),
  };
}

export const GOLDEN_SCENARIOS: readonly GoldenScenario[] = [
  oneRun('retry-backoff', 'succeeded'),
  oneRun('timeout', 'failed'),
  oneRun('failed', 'failed'),
  oneRun('foreach', 'succeeded'),
  oneRun('while', 'succeeded'),
  oneRun('subworkflow', 'succeeded', ['subworkflow-child', 'subworkflow']),
  {
    name: 'signal-wait',
    workflows: ['signal-wait'],
    signals: ['golden.table-loaded'],
    drive: async (api) => {
      const runId = await start(api, 'golden.signal-wait');
      await api.waitForRun(runId, stepIs('wait', 'waiting'), 30_000);
      await signal(api, 'golden.table-loaded', { table: 'other', rows: 1 }, 'golden-other-1');
      await signal(api, 'golden.table-loaded', { table: 'sales', rows: 7 }, 'golden-sales-1');
      await finished(api, runId, 'succeeded');
    },
  },
  {
    name: 'signal-join',
    workflows: ['signal-join'],
    signals: ['golden.sales-loaded', 'golden.fx-rates'],
    drive: async (api) => {
      await signal(api, 'golden.sales-loaded', { region: 'eu', date: 'd1' }, 'golden-sales-d1');
      await signal(api, 'golden.sales-loaded', { region: 'us', date: 'd1' }, 'golden-sales-us-d1');
      await signal(api, 'golden.fx-rates', { date: 'd1' }, 'golden-fx-d1');
      const [runId] = await runsOf(api, 'golden.signal-join', 1);
      await finished(api, runId, 'succeeded');
    },
  },
  oneRun('sleep', 'succeeded'),
  oneRun('condition', 'succeeded'),
  {
    name: 'restart',
    workflows: ['restart'],
    drive: async (api) => {
      const runId = await start(api, 'golden.restart');
      await finished(api, runId, 'succeeded');
      await call(api, 'POST', `/api/v1/runs/${runId}/restart`, { mode: 'from_step', stepId: 'b' });
      await api.waitForRun(runId, (run) => run.runAttempt === 2 && isTerminal(run), 30_000);
    },
  },
  {
    name: 'skip-resume',
    workflows: ['actions'],
    drive: async (api) => {
      const runId = await start(api, 'golden.actions', { breakpoints: ['b'] });
      await api.waitForRun(runId, stepIs('b', 'paused'), 30_000);
      await call(api, 'POST', `/api/v1/runs/${runId}/steps/b/resume`, {});
      await api.waitForRun(runId, stepIs('slow', 'running'), 30_000);
      await call(api, 'POST', `/api/v1/runs/${runId}/steps/slow/skip`, { reason: 'not needed today' });
      await finished(api, runId, 'succeeded');
    },
  },
  {
    name: 'kill',
    workflows: [{ file: 'actions', as: 'golden.kill' }],
    drive: async (api) => {
      const runId = await start(api, 'golden.kill');
      await api.waitForRun(runId, stepIs('slow', 'running'), 30_000);
      await call(api, 'POST', `/api/v1/runs/${runId}/kill`, { reason: 'golden kill' });
      await finished(api, runId, 'cancelled');
    },
  },
  {
    name: 'stop',
    workflows: [{ file: 'actions', as: 'golden.stop' }],
    drive: async (api) => {
      const runId = await start(api, 'golden.stop', { params: { slow_seconds: 2 } });
      await api.waitForRun(runId, stepIs('slow', 'running'), 30_000);
      await call(api, 'POST', `/api/v1/runs/${runId}/stop`, { reason: 'golden stop' });
      await finished(api, runId, 'cancelled');
    },
  },
  {
    name: 'secret-params',
    workflows: ['secret-params'],
    drive: async (api) => {
      const runId = await start(api, 'golden.secret-params', { params: { password: 'golden-s3cret' } });
      await finished(api, runId, 'succeeded');
    },
  },
];

const ID_LINE = /^id:\s*(\S+)$/m;

/** The YAML a scenario pushes for one of its workflows, and the workflow's id. */
export function workflowOf(entry: GoldenScenario['workflows'][number]): { yaml: string; id: string } {
  const file = typeof entry === 'string' ? entry : entry.file;
  const yaml = readFileSync(join(WORKFLOWS_DIR, `${file}.yaml`), 'utf8');
  const id = ID_LINE.exec(yaml)?.[1];
  if (id === undefined) throw new Error(`${file}.yaml has no id line`);
  if (typeof entry === 'string') return { yaml, id };
  return { yaml: yaml.replace(ID_LINE, `id: ${entry.as}`), id: entry.as };
}
