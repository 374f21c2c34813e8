import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton skip', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/steps/extract/skip'
        ? { status: 202, body: { runId: 'run-1', commandId: 'api-skip/c-1' } }
        : undefined;
  });

  it('posts the reason for the step and confirms', async () => {
    const sut = await runBaton(['skip', 'run-1', 'extract', '--reason', 'source is down'], {
      server: server.url,
    });

    expect(sut).toEqual({
      code: 0,
      stdout: 'skip requested for step extract of run run-1 (command api-skip/c-1)\n',
      stderr: '',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/steps/extract/skip',
        contentType: 'application/json',
        body: '{"reason":"source is down"}',
      },
    ]);
  });

  it('escapes ids in the path; --json prints the answer', async () => {
    server.route = () => ({ status: 202, body: { runId: 'run 1', commandId: 'api-skip/c-2' } });

    const sut = await runBaton(['skip', 'run 1', 'a/b', '--json'], { server: server.url });

    expect(server.requests[0]).toMatchObject({ url: '/api/v1/runs/run%201/steps/a%2Fb/skip', body: '{}' });
    expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run 1', commandId: 'api-skip/c-2' });
  });

  it("exits 3 with the server's message for a finished step, and needs both ids", async () => {
    server.route = () => ({
      status: 409,
      body: {
        statusCode: 409,
        message: 'step extract of run run-1 already succeeded; there is nothing to skip',
      },
    });

    const finished = await runBaton(['skip', 'run-1', 'extract'], { server: server.url });
    const usage = await runBaton(['skip', 'run-1'], { server: server.url });

    expect(finished.code).toBe(3);
    expect(finished.stderr).toBe(
      'error: step extract of run run-1 already succeeded; there is nothing to skip\n',
    );
    expect(usage.code).toBe(3);
    expect(usage.stderr).toContain("missing required argument 'step'");
  });
});
