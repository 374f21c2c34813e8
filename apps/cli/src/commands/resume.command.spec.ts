import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton resume', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/steps/load/resume'
        ? { status: 202, body: { runId: 'run-1', commandId: 'api-resume/c-1' } }
        : undefined;
  });

  it('posts to the step and confirms', async () => {
    const sut = await runBaton(['resume', 'run-1', 'load'], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stdout: 'resume requested for step load of run run-1 (command api-resume/c-1)\n',
      stderr: '',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/steps/load/resume',
        contentType: 'application/json',
        body: '{}',
      },
    ]);
  });

  it('--json prints the answer', async () => {
    const sut = await runBaton(['resume', 'run-1', 'load', '--json'], { server: server.url });

    expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run-1', commandId: 'api-resume/c-1' });
  });

  it("exits 3 with the server's message for a step past its breakpoint", async () => {
    server.route = () => ({
      status: 409,
      body: {
        statusCode: 409,
        message: 'step load of run run-1 is running, past any breakpoint; there is nothing to resume',
      },
    });

    const sut = await runBaton(['resume', 'run-1', 'load'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      'error: step load of run run-1 is running, past any breakpoint; there is nothing to resume\n',
    );
  });
});
