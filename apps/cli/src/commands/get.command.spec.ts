import { FakeBatonServer } from '../testing/fake-baton-server';
import { NOW, runDetail, stepView } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

const FAILED_RUN = runDetail({
  status: 'failed',
  endedAt: NOW - 2_000,
  params: { mode: 'full' },
  failure: { reason: 'step_failed', stepId: 'transform_delta', message: 'exit code 2' },
  steps: [
    stepView('extract', { status: 'succeeded' }),
    stepView('transform_delta', {
      status: 'failed',
      attempt: 3,
      startedAt: NOW - 3_000,
      endedAt: NOW - 2_600,
      errorKind: 'user',
      errorMessage: 'exit code 2',
    }),
    stepView('load', { status: 'skipped', skipReason: 'upstream_failed' }),
  ],
});

describe('baton get', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(() => {
    server.route = (r) => (r.url === '/api/v1/runs/run-1' ? { status: 200, body: FAILED_RUN } : undefined);
  });

  it('prints the run header, the steps table and the failure', async () => {
    const sut = await runBaton(['get', 'run-1'], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'run       run-1',
        'workflow  sales.daily v3',
        'status    failed',
        'request   req-1',
        'created   2025-06-01T11:59:50Z (10s ago)',
        'duration  7.0s',
        'params    {"mode":"full"}',
        'failure   step_failed at step transform_delta: exit code 2',
        '',
        'STEP             STATUS     ATTEMPT  DURATION  NOTE',
        'extract          succeeded  1        1.2s',
        'transform_delta  failed     3        400ms     user: exit code 2',
        'load             skipped    -        -         upstream_failed',
        '',
      ].join('\n'),
    });
  });

  it('prints the run as the server sent it with --json', async () => {
    const sut = await runBaton(['get', 'run-1', '--json'], { server: server.url });

    expect(JSON.parse(sut.stdout)).toEqual(FAILED_RUN);
  });

  it('exits 3 with the server message for an unknown run', async () => {
    const sut = await runBaton(['get', 'nope'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe('error: Cannot GET /api/v1/runs/nope\n');
  });
});
