import type { WorkflowQueue as WorkflowQueueView } from '@baton/api/responses';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { NOW } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

const SUMMARY = {
  workflowId: 'sales.daily',
  activeVersion: null,
  latestVersion: 3,
  name: 'Daily sales',
  description: '',
  tags: [],
  createdAt: NOW - 60_000,
  updatedAt: NOW,
};

describe('baton workflow', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  describe.each([
    ['pause', 'workflow sales.daily paused: new runs queue until `baton workflow resume sales.daily`'],
    ['resume', 'workflow sales.daily resumed: queued runs start as its run strategy allows'],
    ['unblock', 'workflow sales.daily unblocked: queued runs start again (the failed run stays failed)'],
  ])('%s', (control, line) => {
    it('posts to the workflow and says what it means', async () => {
      server.route = () => ({ status: 202, body: { workflowId: 'sales.daily', commandId: 'c-1' } });

      const sut = await runBaton(['workflow', control, 'sales.daily'], { server: server.url });

      expect(sut).toEqual({ code: 0, stdout: `${line} (command c-1)\n`, stderr: '' });
      expect(server.requests).toEqual([
        {
          method: 'POST',
          url: `/api/v1/workflows/sales.daily/${control}`,
          contentType: 'application/json',
          body: '{}',
        },
      ]);
    });

    it("--json prints the server's answer", async () => {
      server.route = () => ({ status: 202, body: { workflowId: 'sales.daily', commandId: 'c-1' } });

      const sut = await runBaton(['workflow', control, 'sales.daily', '--json'], { server: server.url });

      expect(JSON.parse(sut.stdout)).toEqual({ workflowId: 'sales.daily', commandId: 'c-1' });
    });
  });

  it("exits 3 with the server's message for an unknown workflow", async () => {
    server.route = () => ({
      status: 404,
      body: { statusCode: 404, message: 'workflow "nope" does not exist; push it first' },
    });

    const sut = await runBaton(['workflow', 'pause', 'nope'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: workflow "nope" does not exist; push it first\n',
    });
  });

  describe('breakpoints', () => {
    beforeEach(() => {
      server.route = (r) =>
        r.method === 'PUT' && r.url === '/api/v1/workflows/sales.daily/breakpoints'
          ? {
              status: 202,
              body: { workflowId: 'sales.daily', commandId: 'c-2', stepIds: JSON.parse(r.body).stepIds },
            }
          : undefined;
    });

    it('puts the steps, replacing the previous set', async () => {
      const sut = await runBaton(['workflow', 'breakpoints', 'sales.daily', 'load', 'publish'], {
        server: server.url,
      });

      expect(sut.stdout).toBe(
        'new runs of sales.daily pause before load, publish; continue each with baton resume RUN STEP (command c-2)\n',
      );
      expect(server.requests).toEqual([
        {
          method: 'PUT',
          url: '/api/v1/workflows/sales.daily/breakpoints',
          contentType: 'application/json',
          body: '{"stepIds":["load","publish"]}',
        },
      ]);
    });

    it("clears them all with --clear; --json prints the server's answer", async () => {
      const cleared = await runBaton(['workflow', 'breakpoints', 'sales.daily', '--clear'], {
        server: server.url,
      });
      const json = await runBaton(['workflow', 'breakpoints', 'sales.daily', '--clear', '--json'], {
        server: server.url,
      });

      expect(JSON.parse(server.requests[0]!.body)).toEqual({ stepIds: [] });
      expect(cleared.stdout).toBe('new runs of sales.daily have no breakpoints (command c-2)\n');
      expect(JSON.parse(json.stdout)).toEqual({ workflowId: 'sales.daily', commandId: 'c-2', stepIds: [] });
    });

    it.each([
      [[], 'name the steps to pause before, or pass --clear to remove every breakpoint'],
      [['load', '--clear'], '--clear removes every breakpoint: name no steps with it'],
    ])('refuses %j with exit 3 before calling the server', async (args, message) => {
      const sut = await runBaton(['workflow', 'breakpoints', 'sales.daily', ...args], { server: server.url });

      expect(sut).toEqual({ code: 3, stdout: '', stderr: `error: ${message}\n` });
      expect(server.requests).toEqual([]);
    });
  });

  describe('queue', () => {
    const queue: WorkflowQueueView = {
      workflowId: 'sales.daily',
      runStrategy: { kind: 'sequential' },
      paused: true,
      blockedBy: null,
      running: ['run-1'],
      runningCount: 1,
      breakpoints: ['load'],
      queued: [
        { position: 7, runId: 'run-2', requestId: 'req-2', version: 3, queuedAt: NOW - 120_000 },
        { position: 9, runId: 'run-3', requestId: 'nightly', version: 3, queuedAt: NOW - 5_000 },
      ],
      queuedCount: 2,
      nextAfterPosition: null,
      recentlyDropped: [],
      lastSeq: 12,
      updatedAt: NOW - 1_000,
    };

    it('shows the state, the running runs and the queued ones, first to start first', async () => {
      server.route = (r) =>
        r.method === 'GET' && r.url === '/api/v1/workflows/sales.daily/queue'
          ? { status: 200, body: queue }
          : undefined;

      const sut = await runBaton(['workflow', 'queue', 'sales.daily'], { server: server.url });

      expect(sut.code).toBe(0);
      expect(sut.stdout).toBe(
        [
          'workflow     sales.daily',
          'strategy     sequential',
          'state        paused (new runs queue: baton workflow resume)',
          'breakpoints  load',
          'running      run-1',
          '',
          '#  RUN    REQUEST  VERSION  QUEUED',
          '1  run-2  req-2    3        2m ago',
          '2  run-3  nightly  3        5s ago',
          '',
        ].join('\n'),
      );
    });

    it('says when a strict_sequential workflow is blocked, and when nothing waits', async () => {
      server.route = () => ({
        status: 200,
        body: {
          ...queue,
          runStrategy: { kind: 'strict_sequential' },
          paused: false,
          blockedBy: 'run-0',
          breakpoints: [],
          running: [],
          queued: [],
          queuedCount: 0,
        },
      });

      const sut = await runBaton(['workflow', 'queue', 'sales.daily'], { server: server.url });

      expect(sut.stdout).toBe(
        [
          'workflow     sales.daily',
          'strategy     strict_sequential',
          'state        blocked by failed run run-0 (baton workflow unblock, or restart that run)',
          'breakpoints  -',
          'running      -',
          '',
          'no queued runs',
          '',
        ].join('\n'),
      );
    });

    it('lists the requests the run strategy dropped lately, newest first', async () => {
      server.route = () => ({
        status: 200,
        body: {
          ...queue,
          runStrategy: { kind: 'last_only' },
          paused: false,
          queued: queue.queued.slice(1),
          queuedCount: 1,
          recentlyDropped: [
            { seq: 9, runId: 'run-2', requestId: 'req-2', reason: 'superseded', droppedAt: NOW - 5_000 },
            {
              seq: 4,
              runId: 'run-0',
              requestId: 'req-0',
              reason: 'first_only_busy',
              droppedAt: NOW - 3_600_000,
            },
          ],
        },
      });

      const sut = await runBaton(['workflow', 'queue', 'sales.daily'], { server: server.url });

      expect(
        sut.stdout.endsWith(
          [
            '#  RUN    REQUEST  VERSION  QUEUED',
            '1  run-3  nightly  3        5s ago',
            '',
            'recently dropped by the run strategy (never started), newest first:',
            'RUN    REQUEST  REASON           DROPPED',
            'run-2  req-2    superseded       5s ago',
            'run-0  req-0    first_only_busy  1h ago',
            '',
          ].join('\n'),
        ),
      ).toBe(true);
    });

    it('counts the queued runs beyond the page, and shows a concurrency limit', async () => {
      server.route = () => ({
        status: 200,
        body: {
          ...queue,
          runStrategy: { kind: 'parallel', maxConcurrent: 4 },
          paused: false,
          queued: queue.queued.slice(0, 1),
          queuedCount: 40,
          nextAfterPosition: 7,
        },
      });

      const sut = await runBaton(['workflow', 'queue', 'sales.daily'], { server: server.url });

      expect(sut.stdout).toContain('strategy     parallel (at most 4 at once)\nstate        active\n');
      expect(sut.stdout.endsWith('1  run-2  req-2    3        2m ago\n… and 39 more queued\n')).toBe(true);
    });

    it('--json prints the queue; --limit asks for a page of that size', async () => {
      server.route = () => ({ status: 200, body: queue });

      const sut = await runBaton(['workflow', 'queue', 'sales.daily', '--json', '--limit', '5'], {
        server: server.url,
      });

      expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/workflows/sales.daily/queue?limit=5']);
      expect(JSON.parse(sut.stdout)).toEqual(queue);
    });
  });

  describe('activate and deactivate', () => {
    it('activates a version', async () => {
      server.route = (r) =>
        r.method === 'POST' && r.url === '/api/v1/workflows/sales.daily/versions/2/activate'
          ? { status: 200, body: { ...SUMMARY, activeVersion: 2 } }
          : undefined;

      const sut = await runBaton(['workflow', 'activate', 'sales.daily', '2'], { server: server.url });
      const json = await runBaton(['workflow', 'activate', 'sales.daily', '2', '--json'], {
        server: server.url,
      });

      expect(sut).toEqual({ code: 0, stdout: 'workflow sales.daily: version 2 is active\n', stderr: '' });
      expect(JSON.parse(json.stdout)).toMatchObject({ workflowId: 'sales.daily', activeVersion: 2 });
    });

    it('refuses a version that is not a positive integer', async () => {
      const sut = await runBaton(['workflow', 'activate', 'sales.daily', 'latest'], { server: server.url });

      expect(sut.code).toBe(3);
      expect(sut.stderr).toContain(
        "value 'latest' is invalid for argument 'version'. expected a positive integer.",
      );
      expect(server.requests).toEqual([]);
    });

    it('deactivates, and says how to start runs again', async () => {
      server.route = (r) =>
        r.method === 'POST' && r.url === '/api/v1/workflows/sales.daily/deactivate'
          ? { status: 200, body: SUMMARY }
          : undefined;

      const sut = await runBaton(['workflow', 'deactivate', 'sales.daily'], { server: server.url });
      const json = await runBaton(['workflow', 'deactivate', 'sales.daily', '--json'], {
        server: server.url,
      });

      expect(sut.stdout).toBe(
        'workflow sales.daily deactivated: runs must name a --version until one is activated ' +
          '(baton workflow activate sales.daily 3)\n',
      );
      expect(JSON.parse(json.stdout)).toEqual(SUMMARY);
    });
  });
});
