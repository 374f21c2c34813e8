import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

const ACCEPTED = { status: 202, body: { runId: 'run-1', commandId: 'api-restart/c-1' } };

describe('baton restart', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/runs/run-1/restart' ? ACCEPTED : undefined;
  });

  const sentBody = (): unknown => JSON.parse(server.sent('POST', '/api/v1/runs/run-1/restart')[0]!.body);

  it('restarts the incomplete steps by default and says so', async () => {
    const sut = await runBaton(['restart', 'run-1'], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stdout: 'restart requested for run run-1, from its incomplete steps (command api-restart/c-1)\n',
      stderr: '',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/runs/run-1/restart',
        contentType: 'application/json',
        body: '{"mode":"incomplete"}',
      },
    ]);
  });

  it('restarts from a step with new params, -p over --params-file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-cli-')), 'params.json');
    writeFileSync(file, JSON.stringify({ day: '2026-01-01', rows: 1 }));

    const sut = await runBaton(
      [
        'restart',
        'run-1',
        '--from-step',
        'load',
        '--params-file',
        file,
        '-p',
        'rows=100',
        '--param',
        'mode=full',
      ],
      { server: server.url },
    );

    expect(sut.stdout).toBe('restart requested for run run-1, from step load (command api-restart/c-1)\n');
    expect(sentBody()).toEqual({
      mode: 'from_step',
      stepId: 'load',
      params: { day: '2026-01-01', rows: 100, mode: 'full' },
    });
  });

  it('restarts from the beginning; --json prints the answer', async () => {
    const sut = await runBaton(['restart', 'run-1', '--from-beginning', '--json'], { server: server.url });

    expect(sentBody()).toEqual({ mode: 'beginning' });
    expect(JSON.parse(sut.stdout)).toEqual(ACCEPTED.body);
  });

  it.each([
    [
      ['--from-step', 'load', '--from-beginning'],
      "option '--from-step <step>' cannot be used with option '--from-beginning'",
    ],
    [['-p', 'novalue'], 'invalid --param "novalue": expected key=value'],
    [['--from-step'], "option '--from-step <step>' argument missing"],
  ])('rejects %j with exit 3 before calling the server', async (args, message) => {
    const sut = await runBaton(['restart', 'run-1', ...args], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain(message);
    expect(server.requests).toEqual([]);
  });

  it("exits 3 with the server's message when the run has not finished", async () => {
    server.route = () => ({
      status: 409,
      body: {
        statusCode: 409,
        message: 'run run-1 is still running: only a finished run restarts (stop or kill it first)',
      },
    });

    const sut = await runBaton(['restart', 'run-1'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: run run-1 is still running: only a finished run restarts (stop or kill it first)\n',
    });
  });

  it('shows the paths of a 400 under the message', async () => {
    server.route = () => ({
      status: 400,
      body: {
        statusCode: 400,
        message: 'params do not fit workflow etl v1: expected a long, got string "many"',
        errors: [{ path: '$.params.rows', message: 'expected a long, got string "many"' }],
      },
    });

    const sut = await runBaton(['restart', 'run-1', '-p', 'rows=many'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      'error: params do not fit workflow etl v1: expected a long, got string "many"\n' +
        '  $.params.rows  expected a long, got string "many"\n',
    );
  });
});
