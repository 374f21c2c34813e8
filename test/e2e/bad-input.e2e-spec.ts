import { join } from 'node:path';
import { freePort, seconds, tempDir, uniqueWorkflowId } from './support/env';
import { ProcessGroup, sleep, type BatonProcess } from './support/processes';

// Issue 19, cases 5 and 6, against the built all-in-one: each poison input
// gets a clear 4xx or a failed step, `/health/live` keeps answering while the
// process works on it, the process still runs a plain workflow afterwards,
// and a restart on the same data dir does not replay anything that freezes it.

jest.setTimeout(240_000);

const TOKEN = 'bad-input-e2e-token';
/**
 * The slowest `/health/live` answer allowed while a poison input is worked on.
 * One budget-bound evaluation blocks the event loop ~0.2 s on an idle core,
 * but 0.65-2.2 s measured on 2 cores shared at load 16-38; the bound is for
 * that noise. The freeze it guards against took 41 s.
 */
const LIVE_BOUND_MS = 5_000;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/** Polls `/health/live` every 100 ms in the background and keeps the slowest answer. */
class LivenessProbe {
  slowestMs = 0;
  failures: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(url: string) {
    this.loop = (async () => {
      while (this.running) {
        const began = Date.now();
        try {
          const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(10_000) });
          await response.text();
          if (response.status !== 200) this.failures.push(`HTTP ${response.status}`);
        } catch (error) {
          this.failures.push(String(error));
        }
        this.slowestMs = Math.max(this.slowestMs, Date.now() - began);
        await sleep(100);
      }
    })();
  }

  async stop(): Promise<{ slowestMs: number; failures: string[] }> {
    this.running = false;
    await this.loop;
    return { slowestMs: this.slowestMs, failures: this.failures };
  }
}

describe('bad input on the all-in-one process', () => {
  const dir = tempDir('bad-input');
  const group = new ProcessGroup(dir.path);
  const figures: string[] = [];
  let baton: BatonProcess;
  const poisonRuns: string[] = [];
  const plain = uniqueWorkflowId('bad-input', 'plain');

  const call = async (
    method: string,
    path: string,
    body?: string,
    type = 'application/json',
  ): Promise<Answer> => {
    const began = Date.now();
    const response = await fetch(`${baton.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, text: await response.text(), ms: Date.now() - began };
  };

  /** Runs `send` while probing liveness; the probe must never have waited past the bound. */
  const whileProbing = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
    const probe = new LivenessProbe(baton.url);
    try {
      return await send();
    } finally {
      const { slowestMs, failures } = await probe.stop();
      figures.push(`${what}: slowest /health/live ${slowestMs} ms`);
      expect(failures).toEqual([]);
      expect(slowestMs).toBeLessThan(LIVE_BOUND_MS);
    }
  };

  const waitTerminal = async (
    runId: string,
    timeoutMs = 60_000,
  ): Promise<{ status: string; text: string }> => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const answer = await call('GET', `/api/v1/runs/${runId}`);
      last = answer.text.slice(0, 300);
      if (answer.status === 200) {
        const run = JSON.parse(answer.text) as { status: string };
        if (['succeeded', 'failed', 'cancelled'].includes(run.status))
          return { status: run.status, text: answer.text };
      }
      await sleep(200);
    }
    throw new Error(`run ${runId} not terminal after ${timeoutMs} ms; last: ${last}`);
  };

  const pushYaml = async (yaml: string) => {
    const answer = await call('POST', '/api/v1/workflows', yaml, 'application/yaml');
    expect(answer.status).toBe(201);
    const { workflowId, version } = JSON.parse(answer.text) as { workflowId: string; version: number };
    expect((await call('POST', `/api/v1/workflows/${workflowId}/versions/${version}/activate`)).status).toBe(
      200,
    );
  };

  /** A poison expression: refused at the edge (400) or accepted and its step failed with the reason. */
  const poison = async (
    name: string,
    paramType: string,
    expression: string,
    value: unknown,
    reason: RegExp,
  ) => {
    const workflowId = uniqueWorkflowId('bad-input', name);
    await pushYaml(
      `id: ${workflowId}\nparams:\n  v:\n    type: ${paramType}\nsteps:\n` +
        `  - id: a\n    type: noop\n    params:\n      x: { expression: "${expression}" }\n`,
    );
    await whileProbing(name, async () => {
      const began = Date.now();
      const start = await call(
        'POST',
        `/api/v1/workflows/${workflowId}/runs`,
        JSON.stringify({ params: { v: value }, requestId: `${workflowId}-1` }),
      );
      if (start.status === 400) {
        figures.push(`${name}: 400 at the edge`);
        return;
      }
      expect(start.status).toBe(202);
      const { runId } = JSON.parse(start.text) as { runId: string };
      poisonRuns.push(runId);
      const run = await waitTerminal(runId);
      figures.push(
        `${name}: run failed in ${seconds(Date.now() - began)}, GET /runs/{id} ${run.text.length} B`,
      );
      expect(run.status).toBe('failed');
      expect(run.text).toMatch(reason);
      // The bounded result keeps the run readable (the issue saw 41.7 MB).
      expect(run.text.length).toBeLessThan(2_000_000);
    });
  };

  /** The process still does its job: a plain workflow runs to success. */
  const expectServing = async (requestId: string) => {
    const start = await call(
      'POST',
      `/api/v1/workflows/${plain}/runs`,
      JSON.stringify({ params: {}, requestId }),
    );
    expect(start.status).toBe(202);
    const { runId } = JSON.parse(start.text) as { runId: string };
    expect((await waitTerminal(runId)).status).toBe('succeeded');
  };

  beforeAll(async () => {
    const port = await freePort();
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port,
      env: {
        BATON_DATA_DIR: join(dir.path, 'data'),
        BATON_EXAMPLES_DIR: '',
        BATON_ADMIN_TOKEN: TOKEN,
      },
    });
    await group.guard(() => baton.start());
    await pushYaml(`id: ${plain}\nsteps:\n  - id: a\n    type: noop\n`);
  });

  afterAll(async () => {
    console.log(`bad-input e2e figures:\n  ${figures.join('\n  ')}`);
    await group.stopAll();
    dir.remove();
  });

  it('refuses a JSON workflow document nested 2,500 deep with 400', async () => {
    const deep = `{"id":"deep","steps":[{"id":"a","type":"noop","params":{"x":${'['.repeat(2500)}${']'.repeat(2500)}}}]}`;
    const answer = await whileProbing('2,500-deep document', () => call('POST', '/api/v1/workflows', deep));
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/nest/);
  });

  it('refuses run params nested 2,500 deep with 400', async () => {
    const body = `{"params":{"v":${'['.repeat(2500)}${']'.repeat(2500)}},"requestId":"deep-params"}`;
    const answer = await whileProbing('2,500-deep params', () =>
      call('POST', `/api/v1/workflows/${plain}/runs`, body),
    );
    expect(answer.status).toBe(400);
  });

  it('fails a nested exists() over 12,000 numbers on its cost budget', async () => {
    const big = Array.from({ length: 12_000 }, (_, i) => i + 0.5);
    await poison('exists', 'array', 'params.v.exists(x, params.v.exists(y, x == -1.0))', big, /cost budget/);
  });

  it('fails replace() that grows a 6,000-character string on its cost budget', async () => {
    await poison(
      'replace',
      'string',
      "params.v.replace('a', params.v).size()",
      'a'.repeat(6_000),
      /cost budget/,
    );
  });

  it('fails map() that copies a 3,000-item list into every item on its result bound', async () => {
    const big = Array.from({ length: 3_000 }, (_, i) => i);
    await poison(
      'map',
      'array',
      'params.v.map(x, params.v)',
      big,
      /cost budget|larger than \d+ bytes of JSON/,
    );
  });

  it('still runs a plain workflow afterwards', async () => {
    await group.guard(() => expectServing('after-poison'));
  });

  it('restarts on the same data dir without replaying the poison, and serves', async () => {
    const began = Date.now();
    await group.guard(() => baton.restart());
    figures.push(`restart ${seconds(Date.now() - began)}`);
    await whileProbing('after restart', async () => {
      for (const runId of poisonRuns) expect((await waitTerminal(runId)).status).toBe('failed');
      await expectServing('after-restart');
    });
  });
});
