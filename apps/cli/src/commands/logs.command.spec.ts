import type { StepLogs } from '@baton/api/responses';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { NOW } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

describe('baton logs', () => {
  const server = new FakeBatonServer();
  const logs: StepLogs = {
    attempt: 2,
    stdoutTail: 'rows: 120\ndone',
    stderrTail: 'warning: slow\n',
    truncated: false,
    updatedAt: NOW,
  };
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.url.startsWith('/api/v1/runs/run-1/steps/extract/logs') ? { status: 200, body: logs } : undefined;
  });

  it("writes the step's stdout tail to stdout and its stderr tail to stderr", async () => {
    const sut = await runBaton(['logs', 'run-1', 'extract'], { server: server.url });

    expect(sut).toEqual({ code: 0, stdout: 'rows: 120\ndone\n', stderr: 'warning: slow\n' });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/runs/run-1/steps/extract/logs']);
  });

  it('asks for one attempt and prints one stream', async () => {
    const sut = await runBaton(['logs', 'run-1', 'extract', '--attempt', '1', '--stream', 'stderr'], {
      server: server.url,
    });

    expect(sut).toEqual({ code: 0, stdout: '', stderr: 'warning: slow\n' });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/runs/run-1/steps/extract/logs?attempt=1']);
  });

  it('says when only the tail was kept, and prints JSON with --json', async () => {
    const truncated = { ...logs, truncated: true };
    server.route = () => ({ status: 200, body: truncated });

    const text = await runBaton(['logs', 'run-1', 'extract', '--stream', 'stdout'], { server: server.url });
    const json = await runBaton(['logs', 'run-1', 'extract', '--json'], { server: server.url });

    expect(text).toEqual({
      code: 0,
      stdout: 'rows: 120\ndone\n',
      stderr: '(attempt 2: only the tail of the output is kept)\n',
    });
    expect(JSON.parse(json.stdout)).toEqual(truncated);
  });

  it('rejects an unknown --stream with exit 3', async () => {
    const sut = await runBaton(['logs', 'run-1', 'extract', '--stream', 'both'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain('Allowed choices are stdout, stderr');
  });
});
