import { parseWorkflowDocument } from './parse-workflow';

describe('a document nested too deep', () => {
  const deep = (levels: number) =>
    `{"id":"wf","steps":[{"id":"a","type":"noop","params":{"p":${'['.repeat(levels)}${']'.repeat(levels)}}}]}`;

  it('is refused before parsing, whatever the depth (2,500 levels killed the process)', () => {
    for (const levels of [40, 2_500, 100_000]) {
      expect(parseWorkflowDocument(deep(levels), 'json')).toEqual({
        ok: false,
        errors: [{ path: '$', message: 'values nest deeper than 32 levels' }],
      });
    }
  });

  it('counts brackets inside strings as text', () => {
    const text = `{"id":"wf","steps":[{"id":"a","type":"noop","params":{"p":"${'['.repeat(2_500)}\\"{"}}]}`;
    expect(parseWorkflowDocument(text, 'json')).toMatchObject({ ok: true });
  });

  it('is refused in YAML too (by the YAML parser)', () => {
    const yaml = `id: wf\nsteps:\n  - id: a\n    type: noop\n    params:\n      p: ${'['.repeat(2_500)}${']'.repeat(2_500)}\n`;
    const result = parseWorkflowDocument(yaml, 'yaml');
    expect(result.ok).toBe(false);
  });
});
