import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton stop', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/stop'
        ? { status: 202, body: { runId: 'run-1', commandId: 'api-stop/c-1' } }
        : undefined;
  });

  it('posts the reason and says what a stop does', async () => {
    const sut = await runBaton(['stop', 'run-1', '--reason', 'maintenance window'], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stdout:
        'stop requested for run run-1: running steps finish, nothing new starts (command api-stop/c-1)\n',
      stderr: '',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/stop',
        contentType: 'application/json',
        body: '{"reason":"maintenance window"}',
      },
    ]);
  });

  it('posts an empty object without a reason; --json prints the answer', async () => {
    const sut = await runBaton(['stop', 'run-1', '--json'], { server: server.url });

    expect(server.requests[0]!.body).toBe('{}');
    expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run-1', commandId: 'api-stop/c-1' });
  });

  it("exits 3 with the server's message for a finished run", async () => {
    server.route = () => ({
      status: 409,
      body: { statusCode: 409, message: 'run run-1 already succeeded; there is nothing to stop' },
    });

    const sut = await runBaton(['stop', 'run-1'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: run run-1 already succeeded; there is nothing to stop\n',
    });
  });
});
