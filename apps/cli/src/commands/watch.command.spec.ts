import { FakeBatonServer, inTurn } from '../testing/fake-baton-server';
import { NOW, runDetail, stepView } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

const RUN_ID = '287b603f-d7e6-81bf-9b57-a28ce28e6fae';
const OTHER_ID = '287b6aa0-0c1d-8e2f-9a3b-4c5d6e7f8091';
const running = runDetail({ runId: RUN_ID, steps: [stepView('extract', { status: 'running' })] });
const ended = (status: 'succeeded' | 'failed' | 'cancelled') =>
  runDetail({
    runId: RUN_ID,
    status,
    endedAt: NOW - 1_000,
    steps: [stepView('extract', { status: status === 'succeeded' ? 'succeeded' : 'failed' })],
  });

describe('baton watch', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it.each([
    ['succeeded', 0],
    ['failed', 1],
    ['cancelled', 2],
  ] as const)('follows a run until it %s and exits %i', async (status, code) => {
    const answers = inTurn([
      { status: 200, body: running },
      { status: 200, body: running },
      { status: 200, body: ended(status) },
    ]);
    server.route = (r) => (r.url === `/api/v1/runs/${RUN_ID}` ? answers() : undefined);

    const sut = await runBaton(['watch', RUN_ID], { server: server.url });

    expect(sut.code).toBe(code);
    expect(sut.stdout).toContain(`  extract  running  attempt 1\n`);
    expect(sut.stdout).toContain(`run ${RUN_ID} ${status}`);
  });

  it('takes a unique prefix of a run id, as git takes a short hash', async () => {
    server.route = (r) => {
      if (r.url === '/api/v1/runs?runIdPrefix=287b603f&limit=5')
        return { status: 200, body: { items: [ended('succeeded')], nextCursor: null } };
      return r.url === `/api/v1/runs/${RUN_ID}` ? { status: 200, body: ended('succeeded') } : undefined;
    };

    const sut = await runBaton(['watch', '287B603F'], { server: server.url });

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain(`run ${RUN_ID} succeeded`);
  });

  it('refuses an ambiguous prefix, listing the runs it matches', async () => {
    const other = { ...ended('failed'), runId: OTHER_ID };
    server.route = () => ({ status: 200, body: { items: [ended('succeeded'), other], nextCursor: null } });

    const sut = await runBaton(['watch', '287b'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: [
        'error: run id prefix 287b is ambiguous; give more characters. Runs it matches:',
        `  ${RUN_ID}  sales.daily  succeeded`,
        `  ${OTHER_ID}  sales.daily  failed`,
        '',
      ].join('\n'),
    });
  });

  it('says so when no run id starts with the prefix', async () => {
    server.route = () => ({ status: 200, body: { items: [], nextCursor: null } });

    const sut = await runBaton(['get', 'abcd1234'], { server: server.url });

    expect(sut).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: no run id starts with abcd1234 (baton runs lists them)\n',
    });
  });

  it('exits 3 on an unknown run instead of waiting for it to appear', async () => {
    server.route = () => undefined;

    const sut = await runBaton(['watch', RUN_ID], { server: server.url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain(`Cannot GET /api/v1/runs/${RUN_ID}`);
  });

  it('warns once when a step has waited on its pool with no executor taking it', async () => {
    const stuck = runDetail({
      runId: RUN_ID,
      workflowVersion: 2,
      steps: [stepView('train', { status: 'ready', readyAt: NOW - 25_000, startedAt: null })],
    });
    const answers = inTurn([
      { status: 200, body: stuck },
      { status: 200, body: stuck },
      { status: 200, body: ended('succeeded') },
    ]);
    server.route = (r) => {
      if (r.url === '/api/v1/workflows/sales.daily/versions/2')
        return {
          status: 200,
          body: { definition: { steps: [{ id: 'train', type: 'shell', pool: 'gpu' }] } },
        };
      return r.url === `/api/v1/runs/${RUN_ID}` ? answers() : undefined;
    };

    const sut = await runBaton(['watch', RUN_ID], { server: server.url });

    expect(sut.code).toBe(0);
    expect(sut.stderr).toBe(
      'warning: step train has waited 25s for an executor of pool "gpu" and none has taken it: ' +
        'is an executor serving that pool running (BATON_EXECUTOR_POOL=gpu), with a free slot?\n',
    );
  });

  it('prints only the final run with --json', async () => {
    server.route = () => ({ status: 200, body: ended('succeeded') });

    const sut = await runBaton(['watch', RUN_ID, '--json'], { server: server.url });

    expect(JSON.parse(sut.stdout)).toEqual(ended('succeeded'));
  });
});
