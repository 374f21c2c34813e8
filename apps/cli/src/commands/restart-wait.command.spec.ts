import { FakeBatonServer, inTurn } from '../testing/fake-baton-server';
import { NOW, runDetail, stepView } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

const ACCEPTED = { status: 202, body: { runId: 'run-1', commandId: 'api-restart/c-1' } };
const failed = runDetail({
  status: 'failed',
  endedAt: NOW - 5_000,
  lastSeq: 9,
  steps: [stepView('load', { status: 'failed', errorKind: 'user', errorMessage: 'exit 2' })],
});
const again = runDetail({ runAttempt: 2, steps: [stepView('load', { status: 'running', attempt: 2 })] });
const succeeded = runDetail({
  runAttempt: 2,
  status: 'succeeded',
  endedAt: NOW,
  steps: [stepView('load', { status: 'succeeded', attempt: 2 })],
});

describe('baton restart --wait', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it('follows the new attempt, not the end of the old one, and exits with its outcome', async () => {
    // The first reads after the restart still show attempt 1's failure: they must not end the wait.
    const reads = inTurn([
      { status: 200, body: failed },
      { status: 200, body: failed },
      { status: 200, body: again },
      { status: 200, body: succeeded },
    ]);
    server.route = (r) => {
      if (r.method === 'POST' && r.url === '/api/v1/runs/run-1/restart') return ACCEPTED;
      if (r.url.startsWith('/api/v1/runs/run-1/events'))
        return { status: 200, body: { items: [], nextAfterSeq: null } };
      return r.url === '/api/v1/runs/run-1' ? reads() : undefined;
    };

    const sut = await runBaton(['restart', 'run-1', '--wait'], { server: server.url });

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('restarting run run-1, from its incomplete steps\n');
    expect(sut.stdout).toContain('  load  running  attempt 2\n');
    expect(sut.stdout).toMatch(/run run-1 succeeded in /);
    expect(server.requests.filter((r) => r.url.includes('/events'))[0]?.url).toBe(
      '/api/v1/runs/run-1/events?afterSeq=9',
    );
  });

  it('ends with exit 3 and the reason when the engine refuses the restart', async () => {
    const rejected = {
      items: [
        {
          seq: 10,
          type: 'CommandRejected',
          at: NOW,
          payload: { commandId: 'api-restart/c-1', code: 'unknown_step', message: 'no step nope' },
        },
      ],
      nextAfterSeq: null,
    };
    server.route = (r) => {
      if (r.method === 'POST' && r.url === '/api/v1/runs/run-1/restart') return ACCEPTED;
      if (r.url.startsWith('/api/v1/runs/run-1/events')) return { status: 200, body: rejected };
      return r.url === '/api/v1/runs/run-1' ? { status: 200, body: failed } : undefined;
    };

    const sut = await runBaton(['restart', 'run-1', '--from-step', 'nope', '--wait'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      'error: the engine refused the restart of run run-1: unknown_step: no step nope\n',
    );
  });
});
