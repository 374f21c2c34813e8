import { MAX_STEP_OUTPUT_NESTING, parseStepOutput } from './step-output-json';

describe('parseStepOutput', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('parses JSON up to the nesting bound', () => {
    expect(parseStepOutput('{"rows": 42}')).toEqual({ ok: true, value: { rows: 42 } });
    expect(parseStepOutput(nested(MAX_STEP_OUTPUT_NESTING)).ok).toBe(true);
  });

  it('refuses deeper text before parsing it, and says why', () => {
    expect(parseStepOutput(nested(MAX_STEP_OUTPUT_NESTING + 1))).toEqual({
      ok: false,
      reason: `nests deeper than ${MAX_STEP_OUTPUT_NESTING} levels`,
    });
    expect(parseStepOutput(nested(100_000)).ok).toBe(false);
  });

  it('counts brackets inside strings as text', () => {
    expect(parseStepOutput(JSON.stringify({ s: '['.repeat(1000) })).ok).toBe(true);
  });

  it('reports text that is not JSON', () => {
    expect(parseStepOutput('{nope')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^is not valid JSON/),
    });
  });
});
