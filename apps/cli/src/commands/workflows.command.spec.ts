import type { WorkflowSummary } from '@baton/api/responses';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { NOW } from '../testing/fixtures';
import { runBaton } from '../testing/run-baton';

function workflow(overrides: Partial<WorkflowSummary>): WorkflowSummary {
  return {
    workflowId: 'sales.daily',
    activeVersion: 3,
    latestVersion: 3,
    name: 'Daily sales',
    description: '',
    tags: ['sales', 'daily'],
    createdAt: NOW - 86_400_000,
    updatedAt: NOW - 120_000,
    ...overrides,
  };
}

const LIST = [
  workflow({}),
  workflow({
    workflowId: 'etl.shell-pipeline',
    activeVersion: null,
    latestVersion: 2,
    name: 'ETL',
    tags: [],
  }),
];

describe('baton workflows / baton workflow list', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) => (r.url === '/api/v1/workflows' ? { status: 200, body: LIST } : undefined);
  });

  it.each([[['workflows']], [['workflow', 'list']]])(
    '%j prints one aligned line per workflow',
    async (argv) => {
      const sut = await runBaton(argv, { server: server.url });

      expect(sut).toEqual({
        code: 0,
        stderr: '',
        stdout: [
          'WORKFLOW            ACTIVE    LATEST  UPDATED  TAGS         NAME',
          'sales.daily         v3        v3      2m ago   sales,daily  Daily sales',
          'etl.shell-pipeline  inactive  v2      2m ago   -            ETL',
          '',
        ].join('\n'),
      });
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/workflows']);
    },
  );

  it('prints the list as JSON with --json', async () => {
    const sut = await runBaton(['workflows', '--json'], { server: server.url });

    expect(JSON.parse(sut.stdout)).toEqual(LIST);
  });

  it('says how to push one when there are none', async () => {
    server.route = () => ({ status: 200, body: [] });

    const sut = await runBaton(['workflows'], { server: server.url });

    expect(sut.stdout).toBe('no workflows (push one: baton push FILE)\n');
  });
});
