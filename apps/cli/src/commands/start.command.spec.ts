import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunDetail } from '@baton/api/responses';
import { stripAnsi } from '../render/style';
import { FakeBatonServer, inTurn, type CannedResponse } from '../testing/fake-baton-server';
import { NOW, runDetail, stepView } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

const STARTED = { status: 202, body: { runId: 'run-1', requestId: 'req-1' } };
const NOT_YET: CannedResponse = {
  status: 404,
  body: { statusCode: 404, message: 'run run-1 not found', error: 'Not Found' },
};

describe('baton start', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  /** Start answers 202; each poll of the run gets the next answer. */
  function serveRun(polls: readonly (RunDetail | CannedResponse)[]): void {
    const next = inTurn(polls.map((p) => ('runId' in p ? { status: 200, body: p } : p)));
    server.route = (r) => {
      if (r.method === 'POST' && r.url === '/api/v1/workflows/sales.daily/runs') return STARTED;
      if (r.method === 'GET' && r.url === '/api/v1/runs/run-1') return next();
      return undefined;
    };
  }

  function startBody(): unknown {
    return JSON.parse(server.sent('POST', '/api/v1/workflows/')[0]!.body);
  }

  describe('without --wait', () => {
    beforeEach(() => serveRun([]));

    it('reads -p values as JSON when they parse, else as strings', async () => {
      const sut = await runBaton(
        ['start', 'sales.daily', '-p', 'n=3', '-p', 'name=x', '-p', 'flag=true', '-p', 'obj={"a":1}'],
        { server: server.url },
      );

      expect(sut).toEqual({
        code: 0,
        stdout: 'started run run-1 of sales.daily (request req-1)\n',
        stderr: '',
      });
      expect(startBody()).toEqual({ params: { n: 3, name: 'x', flag: true, obj: { a: 1 } } });
      expect(server.sent('POST', '/')[0]!.contentType).toBe('application/json');
    });

    it('keeps "=" inside values, quoted JSON strings stay strings, later -p wins over --params-file', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'baton-cli-')), 'params.json');
      writeFileSync(file, JSON.stringify({ mode: 'delta', min_rows: 100 }));

      await runBaton(
        [
          'start',
          'sales.daily',
          '--params-file',
          file,
          '-p',
          'mode=full',
          '-p',
          'filter=a=b',
          '-p',
          'day="2024"',
          '--param',
          'empty=',
          '--request-id',
          'nightly-1',
          '--version',
          '2',
        ],
        { server: server.url },
      );

      expect(startBody()).toEqual({
        params: { mode: 'full', min_rows: 100, filter: 'a=b', day: '2024', empty: '' },
        requestId: 'nightly-1',
        version: 2,
      });
    });

    it('sends each --breakpoint step, in order', async () => {
      const sut = await runBaton(
        ['start', 'sales.daily', '--breakpoint', 'load', '--breakpoint', 'publish'],
        {
          server: server.url,
        },
      );

      expect(sut.code).toBe(0);
      expect(startBody()).toEqual({ breakpoints: ['load', 'publish'] });
    });

    it('sends an empty body without params and prints {runId, requestId} with --json', async () => {
      const sut = await runBaton(['start', 'sales.daily', '--json'], { server: server.url });

      expect(startBody()).toEqual({});
      expect(JSON.parse(sut.stdout)).toEqual({ runId: 'run-1', requestId: 'req-1' });
    });

    it.each([
      [['-p', 'novalue'], 'invalid --param "novalue": expected key=value'],
      [['-p', '=3'], 'invalid --param "=3"'],
      [['--version', 'two'], "option '--version <n>' argument 'two' is invalid"],
      [['--params-file', '/nonexistent/params.json'], 'cannot read params file /nonexistent/params.json'],
    ])('rejects %j with exit 3 before calling the server', async (args, message) => {
      const sut = await runBaton(['start', 'sales.daily', ...args], { server: server.url });

      expect(sut.code).toBe(3);
      expect(sut.stderr).toContain(message);
      expect(server.requests).toEqual([]);
    });
  });

  it('exits 3 with the message of a 404 for an unknown workflow', async () => {
    server.route = () => ({
      status: 404,
      body: { statusCode: 404, message: 'workflow "nope" does not exist; push it first', error: 'Not Found' },
    });

    const sut = await runBaton(['start', 'nope'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: workflow "nope" does not exist; push it first\n',
    });
  });

  it("prints a 400's errors with their paths and exits 3", async () => {
    server.route = () => ({
      status: 400,
      body: {
        message: 'invalid run parameters',
        errors: [
          { path: '$.params.min_rows', message: 'expected a long, got "many"' },
          { path: '$.params.region', message: 'required param is missing' },
        ],
      },
    });

    const sut = await runBaton(['start', 'sales.daily', '-p', 'min_rows=many'], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      'error: invalid run parameters\n' +
        '  $.params.min_rows  expected a long, got "many"\n' +
        '  $.params.region  required param is missing\n',
    );
  });

  describe('--wait', () => {
    const running = runDetail({
      steps: [stepView('extract', { status: 'running' }), stepView('load', { status: 'pending' })],
    });
    const extracted = runDetail({
      steps: [stepView('extract', { status: 'succeeded' }), stepView('load', { status: 'running' })],
    });

    it('polls through 404 until the run is projected, prints each change once, and exits 0 on success', async () => {
      serveRun([
        NOT_YET,
        NOT_YET,
        running,
        running,
        extracted,
        runDetail({
          status: 'succeeded',
          endedAt: NOW - 4_000,
          steps: [
            stepView('extract', { status: 'succeeded' }),
            stepView('load', { status: 'succeeded', startedAt: NOW - 6_000, endedAt: NOW - 4_500 }),
          ],
        }),
      ]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], { server: server.url });

      expect(sut.stdout).toBe(
        [
          'started run run-1 of sales.daily',
          'run run-1  sales.daily v3  running',
          '  extract  running  attempt 1',
          '  load  pending',
          '  extract  succeeded  attempt 1  1.2s',
          '  load  running  attempt 1',
          '  load  succeeded  attempt 1  1.5s',
          'run run-1 succeeded in 5.0s',
          '',
        ].join('\n'),
      );
      expect(sut).toMatchObject({ code: 0, stderr: '' });
      expect(server.sent('GET', '/api/v1/runs/run-1')).toHaveLength(6);
    });

    it("stops waiting with the server's reason when the run strategy dropped the request (410)", async () => {
      const message =
        "run run-1 never started: workflow sales.daily's run strategy first_only dropped its request " +
        'req-1 at 2026-01-01T00:00:00.000Z (another run was running or waiting to start)';
      serveRun([NOT_YET, { status: 410, body: { statusCode: 410, message, error: 'Gone' } }]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], { server: server.url });

      expect(sut).toMatchObject({ code: 3, stderr: `error: ${message}\n` });
      expect(server.sent('GET', '/api/v1/runs/run-1')).toHaveLength(2);
    });

    it('shows retries and the failure reason, and exits 1 when the run failed', async () => {
      const failure = { reason: 'step_failed', stepId: 'extract', message: 'exit code 2' };
      serveRun([
        running,
        runDetail({
          steps: [
            stepView('extract', {
              status: 'retry_waiting',
              endedAt: NOW - 7_000,
              errorKind: 'user',
              errorMessage: 'exit code 2',
            }),
            stepView('load', { status: 'pending' }),
          ],
        }),
        runDetail({
          status: 'failed',
          endedAt: NOW - 3_000,
          failure,
          steps: [
            stepView('extract', {
              status: 'failed',
              attempt: 2,
              errorKind: 'user',
              errorMessage: 'exit code 2',
            }),
            stepView('load', { status: 'skipped', skipReason: 'upstream_failed' }),
          ],
        }),
      ]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], { server: server.url });

      expect(sut.code).toBe(1);
      expect(sut.stdout).toContain('  extract  retry_waiting  attempt 1  1.0s  user: exit code 2\n');
      expect(sut.stdout).toContain('  extract  failed  attempt 2  1.2s  user: exit code 2\n');
      expect(sut.stdout).toContain('  load  skipped  upstream_failed\n');
      expect(sut.stdout).toMatch(/run run-1 failed after 6\.0s: step_failed at step extract: exit code 2\n$/);
    });

    it('exits 2 when the run was cancelled', async () => {
      serveRun([
        running,
        runDetail({
          status: 'cancelled',
          endedAt: NOW - 5_000,
          failure: { reason: 'cancelled', stepId: null, message: 'wrong params' },
          steps: [stepView('extract', { status: 'cancelled' }), stepView('load', { status: 'skipped' })],
        }),
      ]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], { server: server.url });

      expect(sut.code).toBe(2);
      expect(sut.stdout).toMatch(/run run-1 cancelled after 4\.0s: cancelled: wrong params\n$/);
    });

    it('with --json prints only the final run, no progress', async () => {
      const done = runDetail({
        status: 'succeeded',
        endedAt: NOW,
        steps: [stepView('extract', { status: 'succeeded' })],
      });
      serveRun([NOT_YET, running, done]);

      const sut = await runBaton(['start', 'sales.daily', '--wait', '--json'], { server: server.url });

      expect(sut.code).toBe(0);
      expect(JSON.parse(sut.stdout)).toEqual(done);
    });

    it('redraws the block in place on a terminal, with colours', async () => {
      serveRun([
        running,
        extracted,
        runDetail({ status: 'succeeded', endedAt: NOW, steps: extracted.steps }),
      ]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], { server: server.url, tty: true });

      expect(sut.code).toBe(0);
      // First block: header + table header + 2 steps = 4 lines; the next draw moves up over them.
      expect(sut.stdout).toContain('\u001b[4A\r\u001b[0J');
      expect(sut.stdout).toContain('\u001b[36mrunning\u001b[39m');
      expect(sut.stdout).toContain('\u001b[32msucceeded\u001b[39m');
      const plain = stripAnsi(sut.stdout);
      expect(plain).toContain('  STEP     STATUS     ATTEMPT  DURATION');
      expect(plain).toContain('  extract  succeeded  1        1.2s');
    });

    it('draws no colours on a terminal when NO_COLOR is set', async () => {
      serveRun([runDetail({ status: 'succeeded', endedAt: NOW, steps: extracted.steps })]);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], {
        server: server.url,
        tty: true,
        env: { NO_COLOR: '1' },
      });

      // A single draw: no rewind either, so nothing to strip.
      expect(sut.stdout).toBe(stripAnsi(sut.stdout));
      expect(sut.stdout).toContain('succeeded');
    });

    it('stops waiting on interrupt with exit 130 and says the run goes on', async () => {
      serveRun([running]);
      const interrupt = new AbortController();
      setTimeout(() => interrupt.abort(), 50);

      const sut = await runBaton(['start', 'sales.daily', '--wait'], {
        server: server.url,
        signal: interrupt.signal,
      });

      expect(sut.code).toBe(130);
      expect(sut.stderr).toContain('stopped waiting; run run-1 goes on');
    });
  });
});
