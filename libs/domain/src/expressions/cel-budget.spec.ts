import { celEnv, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import fc from 'fast-check';
import { DEFAULT_EXPRESSION_LIMITS, evaluateExpression } from './cel-expressions';
import type { ExpressionContext } from './expression';

const context = (params: ExpressionContext['params']): ExpressionContext => ({
  params,
  steps: {},
  run: { id: 'r', workflow_id: 'w', workflow_version: 1, attempt: 1, scheduled_at: '2026-01-01T00:00:00Z' },
});

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i * 1.0);

/** Evaluates and measures; the bound is generous (a noisy shared machine), the freeze it guards against took 41 s. */
function timed(source: string, params: ExpressionContext['params']) {
  const began = performance.now();
  const result = evaluateExpression(source, context(params));
  return { result, ms: performance.now() - began };
}

describe('the cost budget of one evaluation', () => {
  // The three requests that froze the whole process (issue 19, case 6).
  it('stops a nested exists over 12,000 numbers (144M iterations) at the budget', () => {
    const { result, ms } = timed('params.big.exists(x, params.big.exists(y, x == -1.0))', {
      big: numbers(12_000),
    });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ message: expect.stringContaining('cost budget of 1000000 units') }),
    });
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a replace whose result would be 36M characters before building it', () => {
    const { result, ms } = timed("params.s.replace('a', params.s).size()", { s: 'a'.repeat(6000) });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('cost budget') } });
    expect(ms).toBeLessThan(2_000);
  });

  it('refuses a result of 3,000 lists of 3,000 numbers (163 MB of JSON) as too large', () => {
    const { result, ms } = timed('params.big.map(x, params.big)', { big: numbers(3000) });
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/larger than 1048576 bytes|cost budget/) },
    });
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses a result nested deeper than the limit', () => {
    let deep: ExpressionContext['params'][string] = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(timed('params.deep', { deep }).result).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('nests deeper than 32 levels') },
    });
  });

  it('leaves ordinary work on big inputs well inside the budget', () => {
    const big = numbers(20_000);
    expect(timed('params.big.filter(x, x > 5.0).size()', { big }).result).toEqual({
      ok: true,
      value: 19_994,
    });
    expect(timed('params.big.map(x, x * 2.0)[19999]', { big }).result).toEqual({ ok: true, value: 39_998 });
    expect(timed("params.s.replace('a', 'bb').size()", { s: 'a'.repeat(60_000) }).result).toEqual({
      ok: true,
      value: 120_000,
    });
    expect(timed('params.big.exists(x, x in params.small)', { big, small: numbers(100) }).result).toEqual({
      ok: true,
      value: true,
    });
  });

  it('is deterministic: the same evaluation fails the same way every time (a replayed command too)', () => {
    const source = 'params.big.all(x, params.big.all(y, x != -1.0))';
    const first = timed(source, { big: numbers(5000) }).result;
    expect(first.ok).toBe(false);
    expect(timed(source, { big: numbers(5000) }).result).toEqual(first);
  });

  it('cannot be absorbed by a short-circuiting operator', () => {
    const source = 'true || params.big.exists(x, params.big.exists(y, x == -1.0)) || true';
    // `||` evaluates left to right and stops at true: the expensive middle never runs.
    expect(timed(source, { big: numbers(5000) }).result).toEqual({ ok: true, value: true });
    const spent = 'params.big.exists(x, params.big.exists(y, x == -1.0)) || true';
    expect(timed(spent, { big: numbers(5000) }).result).toMatchObject({ ok: false });
  });

  it('keeps the budget in the default limits', () => {
    expect(DEFAULT_EXPRESSION_LIMITS).toMatchObject({
      maxCost: 1_000_000,
      maxResultBytes: 1024 * 1024,
      maxResultDepth: 32,
    });
  });
});

describe('the linear replace', () => {
  // The strings extension's own replace, which ours replaces: same answers on every input.
  const original = plan(celEnv({ funcs: strings }), parse('s.replace(a, b)').expr);
  const originalN = plan(celEnv({ funcs: strings }), parse('s.replace(a, b, n)').expr);

  it('answers what the strings extension answers', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', 'c'), maxLength: 12 });
    fc.assert(
      fc.property(text, text, text, fc.integer({ min: -2, max: 6 }), (s, a, b, n) => {
        const params = { s, a, b, n };
        const expected = original({ s, a, b });
        expect(evaluateExpression('params.s.replace(params.a, params.b)', context(params))).toEqual({
          ok: true,
          value: expected,
        });
        expect(
          evaluateExpression('params.s.replace(params.a, params.b, int(params.n))', context(params)),
        ).toEqual({ ok: true, value: originalN({ s, a, b, n: BigInt(n) }) });
      }),
      { numRuns: 300 },
    );
  });
});
