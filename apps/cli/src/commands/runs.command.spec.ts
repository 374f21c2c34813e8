import type { RunSummary } from '@baton/api/responses';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { NOW, runDetail } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

/** A run as listed (RunQueries.listRuns items carry no params or steps). */
function summary(overrides: Partial<RunSummary>): RunSummary {
  const { params: _params, steps: _steps, ...run } = runDetail();
  return { ...run, ...overrides };
}

const PAGE = {
  items: [
    summary({ runId: 'run-3', status: 'running', createdAt: NOW - 30_000, startedAt: NOW - 29_000 }),
    summary({
      runId: 'run-2',
      workflowId: 'etl.shell-pipeline',
      workflowVersion: 12,
      status: 'failed',
      createdAt: NOW - 3 * 3_600_000,
      startedAt: NOW - 3 * 3_600_000,
      endedAt: NOW - 3 * 3_600_000 + 185_000,
      failure: { reason: 'step_failed', stepId: 'download', message: 'exit code 22' },
    }),
  ],
  nextCursor: 'WyIyMDI1Il0',
};

describe('baton runs', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it('prints an aligned table and the command for the next page', async () => {
    server.route = (r) => (r.url.startsWith('/api/v1/runs?') ? { status: 200, body: PAGE } : undefined);

    const sut = await runBaton(['runs'], { server: server.url });

    expect(sut.code).toBe(0);
    expect(sut.stdout).toBe(
      [
        'RUN    WORKFLOW            VERSION  STATUS   CREATED  DURATION',
        'run-3  sales.daily         3        running  30s ago  29.0s',
        'run-2  etl.shell-pipeline  12       failed   3h ago   3m 05s',
        '',
      ].join('\n'),
    );
    expect(sut.stderr).toBe('more: baton runs --cursor WyIyMDI1Il0\n');
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/runs?limit=20']);
  });

  it('passes the filters and the cursor as query parameters', async () => {
    server.route = () => ({ status: 200, body: PAGE });

    const sut = await runBaton(
      ['runs', '--workflow', 'sales.daily', '--status', 'failed', '--limit', '5', '--cursor', 'abc'],
      { server: server.url },
    );

    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v1/runs?workflowId=sales.daily&status=failed&limit=5&cursor=abc',
    ]);
    expect(sut.stderr).toBe(
      'more: baton runs --cursor WyIyMDI1Il0 --workflow sales.daily --status failed --limit 5\n',
    );
  });

  it('prints the page as JSON with --json', async () => {
    server.route = () => ({ status: 200, body: PAGE });

    const sut = await runBaton(['runs', '--json'], { server: server.url });

    expect(JSON.parse(sut.stdout)).toEqual(PAGE);
    expect(sut.stderr).toBe('');
  });

  it("marks a restarted run's duration as time since the first start, with a footnote", async () => {
    const run = summary({ runId: 'run-9', runAttempt: 2, startedAt: NOW - 7_200_000, endedAt: NOW });
    server.route = () => ({ status: 200, body: { items: [run], nextCursor: null } });

    const sut = await runBaton(['runs'], { server: server.url });

    expect(sut.stdout).toContain('2h 00m*');
    expect(sut.stderr).toBe('* restarted: time since the first start; baton get RUN shows the active time\n');
  });

  it('says so when there are no runs', async () => {
    server.route = () => ({ status: 200, body: { items: [], nextCursor: null } });

    expect(await runBaton(['runs'], { server: server.url })).toEqual({
      code: 0,
      stdout: 'no runs\n',
      stderr: '',
    });
  });

  it("prints the server's message for an invalid cursor", async () => {
    server.route = () => ({
      status: 400,
      body: {
        message: 'invalid cursor: pass back the nextCursor of the previous page unchanged',
        errors: [],
      },
    });

    const sut = await runBaton(['runs', '--cursor', 'zzz'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      'error: invalid cursor: pass back the nextCursor of the previous page unchanged\n',
    );
  });
});
