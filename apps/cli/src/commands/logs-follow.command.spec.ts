import type { StepLogs } from '@baton/api/responses';
import { FakeBatonServer, inTurn } from '../testing/fake-baton-server';
import { NOW, runDetail, stepView } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';
import { printNew } from './follow-logs';

const logs = (attempt: number, stdoutTail: string, stderrTail = ''): StepLogs => ({
  attempt,
  stdoutTail,
  stderrTail,
  truncated: false,
  updatedAt: NOW,
});
const withStep = (status: string, attempt: number) =>
  runDetail({ steps: [stepView('extract', { status, attempt })] });

describe('baton logs -f', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('prints the output as it grows, attempt after attempt, until the step ends', async () => {
    const runs = inTurn([
      { status: 200, body: withStep('running', 1) },
      { status: 200, body: withStep('running', 1) },
      { status: 200, body: withStep('retry_waiting', 1) },
      { status: 200, body: withStep('succeeded', 2) },
    ]);
    const tails = inTurn([
      { status: 200, body: logs(1, 'a\n') },
      { status: 200, body: logs(1, 'a\nb\n', 'oops\n') },
      { status: 200, body: logs(1, 'a\nb\n', 'oops\n') },
      { status: 200, body: logs(2, 'a\nb\nc\n') },
    ]);
    server.route = (r) => {
      if (r.url === '/api/v1/runs/run-1') return runs();
      return r.url === '/api/v1/runs/run-1/steps/extract/logs' ? tails() : undefined;
    };

    const sut = await runBaton(['logs', '-f', 'run-1', 'extract'], { server: server.url });

    expect(sut).toEqual({ code: 0, stdout: 'a\nb\na\nb\nc\n', stderr: 'oops\n--- attempt 2 ---\n' });
  });

  it('keeps reading after the step ended until the output stops changing (logs travel on their own topic)', async () => {
    server.route = (r) =>
      r.url === '/api/v1/runs/run-1' ? { status: 200, body: withStep('succeeded', 1) } : undefined;
    const tails = inTurn([
      { status: 200, body: logs(1, 'a\n') },
      { status: 200, body: logs(1, 'a\nlast\n') },
    ]);
    const route = server.route;
    server.route = (r) => (r.url === '/api/v1/runs/run-1/steps/extract/logs' ? tails() : route(r));

    const sut = await runBaton(['logs', '-f', 'run-1', 'extract'], { server: server.url });

    expect(sut.stdout).toBe('a\nlast\n');
  });

  it('waits for a step that has not started, and refuses --json', async () => {
    const runs = inTurn([
      { status: 200, body: withStep('pending', 0) },
      { status: 200, body: withStep('succeeded', 1) },
    ]);
    server.route = (r) => {
      if (r.url === '/api/v1/runs/run-1') return runs();
      return r.url === '/api/v1/runs/run-1/steps/extract/logs'
        ? { status: 200, body: logs(1, 'hi\n') }
        : undefined;
    };

    expect(await runBaton(['logs', '-f', 'run-1', 'extract'], { server: server.url })).toEqual({
      code: 0,
      stdout: 'hi\n',
      stderr: '',
    });
    expect((await runBaton(['logs', '-f', 'run-1', 'extract', '--json'], { server: server.url })).code).toBe(
      3,
    );
  });
});

describe('printNew', () => {
  const printed = (before: string, tail: string): string => {
    let out = '';
    printNew(before, tail, { write: (text) => (out += text) });
    return out;
  };

  it('prints what the tail adds, also once the kept tail has slid past its start', () => {
    expect(printed('', 'x\n')).toBe('x\n');
    expect(printed('a\nb\n', 'a\nb\nc\n')).toBe('c\n');
    expect(printed('line 1\nline 2\n', 'ne 2\nline 3\n')).toBe('line 3\n');
  });

  it('marks output that slid out between two reads instead of repeating or dropping silently', () => {
    expect(printed('old\n', 'new\n')).toBe('[… output not kept between two reads …]\nnew\n');
  });
});
