import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBaton } from '../testing/run-baton';

const EXAMPLES = join(__dirname, '../../../../examples');

describe('baton validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));

  it.each(readdirSync(EXAMPLES).filter((name) => name.endsWith('.yaml')))(
    'accepts examples/%s with a one-line summary and exit 0, without any server',
    async (name) => {
      const file = join(EXAMPLES, name);
      const sut = await runBaton(['validate', file], { server: 'http://127.0.0.1:1' });
      expect(sut).toMatchObject({ code: 0, stderr: '' });
      expect(sut.stdout).toMatch(new RegExp(`^${escape(file)}: valid \\(workflow \\S+, \\d+ steps?\\)\\n$`));
    },
  );

  it('summarises the diamond example', async () => {
    const sut = await runBaton(['validate', join(EXAMPLES, 'diamond.yaml')]);
    expect(sut.stdout).toContain(': valid (workflow sales.daily, 4 steps)');
  });

  it('prints every error as FILE:line:col  $.path  message and exits 1', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'id: broken',
        'steps:',
        '  - id: extract',
        '    type: noop',
        '  - id: load',
        '    type: noop',
        '    depends_on: [extract, missing]',
        '    retry_policy:',
        '      backoff: { type: sometimes }',
        '',
      ].join('\n'),
    );
    const sut = await runBaton(['validate', file]);
    expect(sut.code).toBe(1);
    const lines = sut.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toBe(`${file}: ${lines.length - 1} errors`);
    expect(sut.stdout).toMatch(
      new RegExp(`^${escape(file)}:7:\\d+  \\$\\.steps\\[1\\]\\.depends_on\\S*  .*missing`, 'm'),
    );
    expect(sut.stdout).toMatch(
      new RegExp(`^${escape(file)}:9:\\d+  \\$\\.steps\\[1\\]\\.retry_policy\\.backoff\\S*  `, 'm'),
    );
  });

  it('lists the errors in file order, by line then column, whatever order the validator found them in', async () => {
    const file = join(dir, 'unordered.yaml');
    writeFileSync(
      file,
      [
        'id: unordered',
        'steps:',
        '  - id: b',
        '    type: noop',
        '    depends_on: [nowhere]',
        '  - id: a',
        '    type: nonsense',
        '    retry_policy: { backoff: { type: sometimes } }',
        'params: { p: { type: colour } }',
        '',
      ].join('\n'),
    );

    const sut = await runBaton(['validate', file]);
    const json = JSON.parse((await runBaton(['validate', file, '--json'])).stdout) as {
      errors: { line?: number; column?: number }[];
    };

    const positions = [...sut.stdout.matchAll(/:(\d+):(\d+) {2}/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(positions.length).toBeGreaterThanOrEqual(3);
    const inOrder = (list: number[][]) =>
      list.every(
        (p, i) =>
          i === 0 || p[0]! > list[i - 1]![0]! || (p[0] === list[i - 1]![0] && p[1]! >= list[i - 1]![1]!),
      );
    expect(inOrder(positions)).toBe(true);
    expect(json.errors.map((e) => [e.line, e.column])).toEqual(positions);
  });

  it('reports a YAML syntax error with its position', async () => {
    const file = join(dir, 'syntax.yaml');
    writeFileSync(file, 'id: x\nsteps: [\n');
    const sut = await runBaton(['validate', file]);
    expect(sut.code).toBe(1);
    expect(sut.stdout).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+  \\$  YAML syntax error`, 'm'));
  });

  it('prints the errors as JSON with --json', async () => {
    const file = join(dir, 'no-steps.json');
    writeFileSync(file, '{"id": "x"}');
    const sut = await runBaton(['validate', file, '--json']);
    expect(sut.code).toBe(1);
    const body = JSON.parse(sut.stdout) as { valid: boolean; errors: { path: string; line?: number }[] };
    expect(body.valid).toBe(false);
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('exits 3 when the file does not exist', async () => {
    const sut = await runBaton(['validate', join(dir, 'nope.yaml')]);
    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain('nope.yaml: no such file');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
