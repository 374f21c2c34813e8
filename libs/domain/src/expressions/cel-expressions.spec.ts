import type { ExpressionContext } from './expression';
import {
  analyzeExpression,
  celExpressions,
  checkExpression,
  evaluateCondition,
  evaluateExpression,
} from './index';

const context: ExpressionContext = {
  params: { mode: 'full', limit: 100, region: 'eu', tags: ['a', 'b'], options: { dry: false } },
  steps: {
    extract: { status: 'SUCCEEDED', outputs: { rows: 500, file: 's3://bucket/x' } },
    load: { status: 'PENDING', outputs: {} },
  },
  run: {
    id: 'run-1',
    workflow_id: 'wf',
    workflow_version: 3,
    attempt: 1,
    scheduled_at: '2024-05-01T10:00:00Z',
  },
  step: { id: 'load', attempt: 2 },
  result: { exit_code: 0, stdout: '42\n', rows: [1, 2, 3] },
};

const value = (source: string) => {
  const result = evaluateExpression(source, context);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const errorOf = (source: string) => {
  const result = evaluateExpression(source, context);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error.message;
};

describe('evaluateExpression', () => {
  it('reads params, step outputs and statuses, run and step metadata, and the result', () => {
    expect(value('params.mode')).toBe('full');
    expect(value("params['region'] + '-1'")).toBe('eu-1');
    expect(value('steps.extract.outputs.rows')).toBe(500);
    expect(value("steps.extract.status == 'SUCCEEDED'")).toBe(true);
    expect(value('run.id')).toBe('run-1');
    expect(value('run.workflow_version')).toBe(3);
    expect(value('step.attempt')).toBe(2);
    expect(value('result.rows.size()')).toBe(3);
    expect(value('int(result.stdout.trim())')).toBe(42);
  });

  it('converts results to plain JSON', () => {
    expect(value("{'a': [1, 2.5, 'x', null, true], 'b': {'c': params.tags}}")).toEqual({
      a: [1, 2.5, 'x', null, true],
      b: { c: ['a', 'b'] },
    });
    expect(value('result.rows.map(r, r * 2.0)')).toEqual([2, 4, 6]);
    expect(value('9223372036854775807')).toBe('9223372036854775807');
    expect(value('5u')).toBe(5);
    expect(value("string(timestamp(run.scheduled_at) + duration('1h'))")).toBe('2024-05-01T11:00:00Z');
  });

  it('refuses results with no JSON form', () => {
    expect(errorOf("timestamp('2024-01-01T00:00:00Z')")).toMatch(/timestamp.*string\(/);
    expect(errorOf("b'abc'")).toMatch(/bytes/);
    expect(errorOf('{1: 2}')).toMatch(/string keys/);
    expect(errorOf('1.0 / 0.0')).toMatch(/Infinity/);
  });

  it('treats JSON numbers as doubles, as CEL does for JSON', () => {
    expect(value('params.limit > 99')).toBe(true);
    expect(value('params.limit == 100')).toBe(true);
    expect(value('params.limit + 1.0')).toBe(101);
    expect(value('int(params.limit) + 1')).toBe(101);
    expect(errorOf('params.limit + 1')).toMatch(/overload/);
  });

  it('reports a missing key with the sub-expression that failed', () => {
    expect(errorOf('params.nope == 1')).toMatch(/nope.*\(in params\.nope\)/);
    expect(errorOf('steps.missing.outputs.rows > 1')).toMatch(/missing/);
  });

  it('sees nothing outside the context', () => {
    expect(checkExpression('process.env.HOME')?.message).toMatch(/unknown variable 'process'/);
    expect(checkExpression('globalThis')?.message).toMatch(/unknown variable 'globalThis'/);
    expect(errorOf('params.constructor')).toMatch(/constructor/);
    expect(errorOf("params['__proto__']")).toMatch(/__proto__/);
    expect(value('has(params.toString)')).toBe(false);
    expect(checkExpression('now()')).toBeUndefined(); // parses, but there is no such function:
    expect(errorOf('now()')).toMatch(/now/);
  });

  it('is deterministic: the same source and context give the same answer', () => {
    const source = 'result.rows.filter(r, r > 1.0).map(r, string(r) + params.region)';
    const first = evaluateExpression(source, context);
    for (let i = 0; i < 50; i++) expect(evaluateExpression(source, context)).toEqual(first);
    expect(first).toEqual({ ok: true, value: ['2eu', '3eu'] });
  });

  it('never throws, even on an input the library cannot take', () => {
    const odd = { ...context, result: { $typeName: 'not.a.Message' } };
    expect(evaluateExpression('result', odd).ok).toBe(false);
  });
});

describe('evaluateCondition', () => {
  it('evaluates true and false', () => {
    const condition = "params.mode == 'full' && steps.extract.outputs.rows > 100";
    expect(evaluateCondition(condition, context)).toEqual({ ok: true, value: true });
    expect(evaluateCondition("params.mode == 'delta'", context)).toEqual({ ok: true, value: false });
    expect(evaluateCondition("'b' in params.tags && !params.options.dry", context)).toEqual({
      ok: true,
      value: true,
    });
  });

  it('rejects a non-boolean result', () => {
    const result = evaluateCondition('steps.extract.outputs.rows', context);
    expect(result).toEqual({
      ok: false,
      error: {
        expression: 'steps.extract.outputs.rows',
        message: 'a condition must be true or false, got number 500',
      },
    });
  });

  it('matches the ExpressionEvaluator the decider takes', () => {
    expect(celExpressions.evaluateCondition('step.attempt > 1', context)).toEqual({ ok: true, value: true });
  });
});

describe('checkExpression', () => {
  it('accepts valid expressions', () => {
    for (const source of [
      "params.mode == 'full'",
      'steps.a.outputs.n > 1 ? "big" : "small"',
      'result.rows.all(r, r > 0.0)',
      'type(params.mode) == string',
      "params.mode.matches('^f.*$')",
    ]) {
      expect(checkExpression(source)).toBeUndefined();
    }
  });

  it('reports syntax errors with line, column and a caret', () => {
    const error = checkExpression("params.mode == 'full' &&");
    expect(error?.expression).toBe("params.mode == 'full' &&");
    expect(error?.message).toMatch(/^syntax error at line 1, column \d+: /);
    expect(error?.message).toContain("\n  params.mode == 'full' &&\n");
    expect(checkExpression('')?.message).toBe('expression is empty');
    expect(checkExpression("'unterminated")?.message).toMatch(/syntax error/);
  });

  it('bounds the size and nesting of an expression', () => {
    expect(checkExpression(`'${'x'.repeat(4100)}'`)?.message).toMatch(/the limit is 4096/);
    expect(checkExpression(`${'('.repeat(500)}1${')'.repeat(500)}`)?.message).toMatch(/nested more than 32/);
    expect(checkExpression(Array(100).fill('1').join(' + '))?.message).toMatch(/nests \d+ deep/);
    expect(checkExpression('[1].all(a, [2].all(b, [3].all(c, true)))')?.message).toMatch(/nested 3 deep/);
    expect(checkExpression('[1].all(a, [2].all(b, true))')).toBeUndefined();
  });

  it('tells which params and steps an expression reads, ignoring macro variables', () => {
    const analysis = analyzeExpression(
      "params.a + params['b'] + string(steps.x.outputs.n) + [1].map(params, params.c)[0] + string(has(params.d))",
    );
    if (!analysis.ok) throw new Error(analysis.error.message);
    expect([...analysis.shape.paramRefs].sort()).toEqual(['a', 'b', 'd']);
    expect([...analysis.shape.stepRefs]).toEqual(['x']);
  });
});
