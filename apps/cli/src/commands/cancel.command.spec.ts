import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton cancel', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/cancel' ? { status: 202 } : undefined;
  });

  it('posts the reason and confirms', async () => {
    const sut = await runBaton(['cancel', 'run-1', '--reason', 'wrong params'], { server: server.url });

    expect(sut).toEqual({ code: 0, stdout: 'cancel requested for run run-1\n', stderr: '' });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/cancel',
        contentType: 'application/json',
        body: '{"reason":"wrong params"}',
      },
    ]);
  });

  it('posts an empty object without a reason; --json prints the request', async () => {
    const sut = await runBaton(['cancel', 'run-1', '--json'], { server: server.url });

    expect(server.requests[0]!.body).toBe('{}');
    expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run-1', cancelRequested: true });
  });

  it('exits 3 with the server message for an unknown run', async () => {
    const sut = await runBaton(['cancel', 'nope'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe('error: Cannot POST /api/v1/runs/nope/cancel\n');
  });
});
