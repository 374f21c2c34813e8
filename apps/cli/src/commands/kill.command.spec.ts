import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton kill (alias cancel)', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/kill'
        ? { status: 202, body: { runId: 'run-1', commandId: 'api-kill/c-1' } }
        : undefined;
  });

  it.each(['kill', 'cancel'])('%s posts the reason to /kill and confirms', async (name) => {
    const sut = await runBaton([name, 'run-1', '--reason', 'wrong params'], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stdout: 'kill requested for run run-1: running steps are cancelled (command api-kill/c-1)\n',
      stderr: '',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/kill',
        contentType: 'application/json',
        body: '{"reason":"wrong params"}',
      },
    ]);
  });

  it('posts an empty object without a reason; --json prints the answer', async () => {
    const sut = await runBaton(['kill', 'run-1', '--json'], { server: server.url });

    expect(server.requests[0]!.body).toBe('{}');
    expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run-1', commandId: 'api-kill/c-1' });
  });

  it('exits 3 with the server message for an unknown run', async () => {
    const sut = await runBaton(['kill', 'nope'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe('error: Cannot POST /api/v1/runs/nope/kill\n');
  });
});
