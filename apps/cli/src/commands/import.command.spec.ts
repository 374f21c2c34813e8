import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkflowDocument } from '@baton/definitions';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

const MAESTRO = {
  properties: { owner: 'data', run_strategy: 'sequential' },
  workflow: {
    id: 'cli.imported',
    params: { n: { value: 2, type: 'LONG' } },
    steps: [
      { step: { id: 'first', type: 'NoOp', transition: { successors: { second: 'n > 1' } } } },
      {
        step: {
          id: 'second',
          type: 'NoOp',
          params: { when: { expression: 'new DateTime().toString()', type: 'STRING' } },
        },
      },
    ],
  },
};

describe('baton import maestro', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-import-'));
  const file = join(dir, 'flow.json');
  writeFileSync(file, JSON.stringify(MAESTRO));
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it('prints the Baton YAML on stdout and the report on stderr, without any server', async () => {
    const sut = await runBaton(['import', 'maestro', file], { server: 'http://127.0.0.1:1' });
    expect(sut.code).toBe(0);
    const parsed = parseWorkflowDocument(sut.stdout, 'yaml');
    expect(parsed.ok).toBe(true);
    expect(sut.stdout).toMatch(
      /^# Imported from the Maestro workflow .*flow\.json by `baton import maestro`: 1 not mapped, 1 mapped with a difference\.\n/,
    );
    expect(sut.stdout).toContain('if: params.n > 1.0');
    expect(sut.stderr).toContain(
      `${file}  $.workflow.steps[1].step.params.when.expression  unmapped  SEL not translated: new DateTime`,
    );
    expect(sut.stderr).toContain(`${file}  $.properties.owner  changed  `);
    expect(sut.stderr.trimEnd().split('\n').at(-1)).toBe(
      `${file}: imported workflow cli.imported; 1 not mapped, 1 mapped with a difference`,
    );
  });

  it('writes --output, prints --json, and exits 1 with --strict when something did not map', async () => {
    const out = join(dir, 'flow.yaml');
    const written = await runBaton(['import', 'maestro', file, '-o', out]);
    expect(written).toMatchObject({ code: 0, stdout: '' });
    expect(parseWorkflowDocument(readFileSync(out, 'utf8'), 'yaml').ok).toBe(true);

    const json = await runBaton(['import', 'maestro', file, '--json']);
    const body = JSON.parse(json.stdout) as {
      workflowId: string;
      valid: boolean;
      issues: { path: string }[];
    };
    expect(body).toMatchObject({ workflowId: 'cli.imported', valid: true });
    expect(body.issues.map((i) => i.path)).toContain('$.workflow.steps[1].step.params.when.expression');

    expect((await runBaton(['import', 'maestro', file, '--strict'])).code).toBe(1);
  });

  it('pushes the converted workflow with --push', async () => {
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/workflows'
        ? { status: 201, body: { workflowId: 'cli.imported', version: 1, created: true } }
        : undefined;
    const sut = await runBaton(['import', 'maestro', file, '--push'], { server: server.url });
    expect(sut.code).toBe(0);
    expect(sut.stderr).toContain('cli.imported v1 (new)');
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'POST', contentType: 'application/yaml', body: sut.stdout }),
    ]);
  });

  it('exits 1 for a file that is not a Maestro workflow, 3 for one that does not exist', async () => {
    const baton = join(dir, 'baton.yaml');
    writeFileSync(baton, 'Workflow:\n  id: x\n  jobs: []\n');
    const dsl = await runBaton(['import', 'maestro', baton]);
    expect(dsl).toMatchObject({ code: 1, stdout: '' });
    expect(dsl.stderr).toContain('YAML DSL');
    expect((await runBaton(['import', 'maestro', join(dir, 'missing.json')])).code).toBe(3);
  });
});
