import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatonApi, type RunDetail } from './support/api-client';
import { E2E_ADMIN_TOKEN, freePort, tempDir, uniqueWorkflowId } from './support/env';
import { startKafkaCluster, type KafkaCluster } from './support/kafka-cluster';
import { ProcessGroup, REPO_ROOT, sleep, type BatonProcess } from './support/processes';
import { documentedRoutes, PUBLIC, statusOf, type Route } from './support/route-walk';

// Authentication, roles, scopes, CSRF and the audit trail, on every route
// the running API documents, on the embedded all-in-one and on Kafka.

jest.setTimeout(240_000);

interface Target {
  readonly api: BatonApi;
  readonly name: string;
}

/** The checks both installations must pass; `target()` is set by the suite's beforeAll. */
function authSuite(suite: string, target: () => Target): void {
  const workflowId = uniqueWorkflowId(suite, 'guarded');
  const flow = `id: ${workflowId}\nsteps:\n  - { id: nap, type: sleep, duration: 10m }\n`;
  let routes: Route[];
  let runId: string;
  let viewer: string;
  let outsider: string;
  let operator: { token: string; tokenId: string };

  const admin = () => target().api;
  const as = (token: string) => new BatonApi(admin().baseUrl, token);
  const createToken = async (role: string, scopes?: string[]) => {
    const answer = await fetch(`${admin().baseUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: admin().headers('application/json'),
      body: JSON.stringify({ name: `${suite}-${role}`, role, ...(scopes ? { scopes } : {}) }),
    });
    expect(answer.status).toBe(201);
    return (await answer.json()) as { token: string; tokenId: string };
  };

  beforeAll(async () => {
    await admin().push(flow);
    operator = await createToken('operator');
    viewer = (await createToken('viewer')).token;
    outsider = (await createToken('operator', ['nobody.'])).token;
    runId = await as(operator.token).start(workflowId, {}, `req-${suite}`);
    await admin().waitForRun(runId, (run) => run.status === 'running', 60_000);
    routes = await documentedRoutes(admin().baseUrl, {
      workflowId,
      runId,
      stepId: 'nap',
      version: '1',
      tokenId: '000000000000',
    });
  });

  it('documents the routes it guards (the walk below covers each)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/workflows',
        'GET /api/v1/events/stream',
        'DELETE /api/v1/tokens/{tokenId}',
      ]),
    );
  });

  it('serves health and metrics without a token', async () => {
    for (const path of PUBLIC) {
      expect((await fetch(`${admin().baseUrl}${path}`)).status).toBe(200);
    }
  });

  it('answers 401 on every route without a token, or with a made-up one', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const token of [undefined, 'not-a-baton-token-at-all']) {
        const status = await statusOf(admin().baseUrl, route, token);
        if (status !== 401) wrong.push(`${route.method} ${route.template}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to a viewer on every mutating route, and lets it read', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const status = await statusOf(admin().baseUrl, route, viewer, { pushBody: flow });
      const adminOnly = route.template.startsWith('/api/v1/tokens');
      // A read may find nothing (a sleep step has no logs: 404), but it is let in.
      const allowed =
        route.mutating || adminOnly ? status === 403 : status < 500 && status !== 401 && status !== 403;
      if (!allowed) wrong.push(`${route.method} ${route.template}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 or 404 to a token scoped to another prefix on every route of a workflow or run', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const global = route.template === '/api/v1/signals' || route.template.startsWith('/api/v1/tokens');
      const push = route.method === 'POST' && route.template === '/api/v1/workflows';
      if (!route.scoped && !global && !push) continue;
      const status = await statusOf(admin().baseUrl, route, outsider, { pushBody: flow });
      if (status !== 403 && status !== 404) wrong.push(`${route.method} ${route.template}: ${status}`);
    }
    expect(wrong).toEqual([]);
    const listed = (await (
      await fetch(`${admin().baseUrl}/api/v1/workflows`, { headers: as(outsider).headers() })
    ).json()) as unknown[];
    expect(listed).toEqual([]);
  });

  it('refuses on every POST what a browser could send cross-site without a preflight (415)', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.method === 'POST')) {
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=z',
      ]) {
        const status = await statusOf(admin().baseUrl, route, E2E_ADMIN_TOKEN, {
          contentType,
          pushBody: flow,
        });
        if (status !== 415) wrong.push(`${route.method} ${route.template} as ${contentType}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('records who started and who killed the run in its events, and who pushed the version', async () => {
    await admin().cancel(runId, 'audited kill');
    const run: RunDetail = await admin().waitForRun(runId, (r) => r.status === 'cancelled', 60_000);
    expect(run.status).toBe('cancelled');
    const events = await admin().events(runId);
    const byType = (type: string) => events.find((e) => e.type === type)?.payload;
    expect(byType('RunStarted')).toMatchObject({ by: `token:${operator.tokenId}` });
    expect(byType('RunCancelled')).toMatchObject({ by: 'env:BATON_ADMIN_TOKEN', reason: 'audited kill' });
    const detail = (await (
      await fetch(`${admin().baseUrl}/api/v1/workflows/${workflowId}`, { headers: admin().headers() })
    ).json()) as {
      versions: { pushedBy: string }[];
    };
    expect(detail.versions[0].pushedBy).toBe('env:BATON_ADMIN_TOKEN');
  });
}

describe('auth on the embedded all-in-one', () => {
  const dir = tempDir('auth-embedded');
  const dataDir = join(dir.path, 'data');
  const group = new ProcessGroup(dir.path);
  let baton: BatonProcess;
  let api: BatonApi;

  beforeAll(async () => {
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: { BATON_DATA_DIR: dataDir, BATON_EXAMPLES_DIR: '' },
    });
    await group.guard(() => baton.start());
    api = new BatonApi(baton.url);
  });
  afterAll(async () => {
    await group.stopAll();
    dir.remove();
  });

  it('listens on loopback only and writes a 0600 admin token the CLI uses', async () => {
    const log = readFileSync(baton.logFile, 'utf8');
    expect(log).toContain(`listening on http://127.0.0.1:${baton.spec.port}`);
    const tokenFile = join(dataDir, 'admin-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(log).toContain(tokenFile);
    expect(log).not.toContain(token);
    const answer = await fetch(`${baton.url}/api/v1/workflows`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    // The CLI, with no token given, finds it in BATON_DATA_DIR.
    const cli = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'dist/apps/cli/src/main.js'), 'runs', '--server', baton.url],
      {
        env: { PATH: process.env.PATH, BATON_DATA_DIR: dataDir, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
  });

  authSuite('auth-embedded', () => ({ api, name: 'embedded' }));
});

describe('auth on separate processes on Kafka', () => {
  const dir = tempDir('auth-kafka');
  let cluster: KafkaCluster;

  beforeAll(async () => {
    cluster = await startKafkaCluster({
      suite: 'auth',
      dir: dir.path,
      executorCount: 1,
      leaseMs: 10_000,
      executorSlots: 2,
    });
  });
  afterAll(async () => {
    await cluster?.dispose(false);
    dir.remove();
    await sleep(0);
  });

  authSuite('auth-kafka', () => ({ api: cluster.api, name: 'kafka' }));
});
