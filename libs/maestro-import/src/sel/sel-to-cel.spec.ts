import fc from 'fast-check';
import { evaluateExpression, type JsonValue } from '@baton/domain';
import type { SelScope, SelType } from './sel-scope';
import { translateSel } from './sel-to-cel';

const scope: SelScope = {
  params: new Map<string, SelType>([
    ['n', 'long'],
    ['d', 'double'],
    ['s', 'string'],
    ['flag', 'bool'],
    ['items', 'list'],
  ]),
  stepParams: new Map([
    ['rows', { type: 'long', literal: 250 }],
    ['computed', { type: 'long' }],
  ]),
  otherStepParam: (stepId, name) =>
    (stepId === 'job.1' || stepId === 'job1') && name === 'limit' ? { type: 'long', literal: 10 } : undefined,
};
const params: Record<string, JsonValue> = { n: 7, d: 2.5, s: 'Abc', flag: true, items: ['x', 'y'] };

function evaluate(cel: string): JsonValue | string {
  const result = evaluateExpression(cel, {
    params,
    steps: {},
    run: {
      id: 'r',
      workflow_id: 'wf.1',
      workflow_version: 1,
      attempt: 1,
      scheduled_at: '2026-01-01T00:00:00Z',
    },
  });
  return result.ok ? result.value : `error: ${result.error.message}`;
}

describe('translateSel', () => {
  it.each<[string, string, JsonValue]>([
    ["params.get('n') + 1", 'params.n + 1.0', 8],
    ['n / 2', 'double(int(params.n) / int(2.0))', 3],
    ['n % 4 == 3', 'double(int(params.n) % int(4.0)) == 3.0', true],
    ['d * 2 - 1', 'params.d * 2.0 - 1.0', 4],
    ["'run-' + n", "'run-' + string(int(params.n))", 'run-7'],
    ["s + '-' + flag", "params.s + '-' + string(params.flag)", 'Abc-true'],
    ['n > 5 && !flag || s == "Abc"', "params.n > 5.0 && !params.flag || params.s == 'Abc'", true],
    ["n >= 7 ? 'big' : 'small'", "params.n >= 7.0 ? 'big' : 'small'", 'big'],
    ['-(n - 10)', '-(params.n - 10.0)', 3],
    [
      'Math.max(n, 9) + Math.min(d, 1)',
      '(params.n > 9.0 ? params.n : 9.0) + (params.d < 1.0 ? params.d : 1.0)',
      10,
    ],
    ['Math.abs(n - 10)', 'params.n - 10.0 < 0.0 ? -(params.n - 10.0) : params.n - 10.0', 3],
    ['s.length() + items.size()', 'double(size(params.s)) + double(size(params.items))', 5],
    ['s.toUpperCase().startsWith("AB")', "params.s.upperAscii().startsWith('AB')", true],
    ["s.substring(1, 3).equals('bc')", "params.s.substring(int(1.0), int(3.0)) == 'bc'", true],
    ["items.contains('y') && s.contains('b')", "'y' in params.items && params.s.contains('b')", true],
    ["Long.parseLong('12') + 1", "double(int('12')) + 1.0", 13],
    ['String.valueOf(n)', 'string(int(params.n))', '7'],
    ['rows > 100', '250.0 > 100.0', true],
    ["params.getFromStep('job.1', 'limit') * 2", '10.0 * 2.0', 20],
    ['job1__limit', '10.0', 10],
    ["WORKFLOW_ID + '!'", "run.workflow_id + '!'", 'wf.1!'],
    ["return params['s'];", 'params.s', 'Abc'],
  ])('%s  ->  %s  (= %j)', (source, cel, value) => {
    const sut = translateSel(source, scope);
    expect(sut).toMatchObject({ ok: true, cel });
    expect(evaluate(cel)).toEqual(value);
  });

  it('says when a step param was inlined as its literal value', () => {
    const sut = translateSel('rows > 100', scope);
    expect(sut).toMatchObject({
      ok: true,
      notes: ["the step's param 'rows' was inlined as its literal value 250"],
    });
  });

  it.each([
    ['new DateTime().toString()', /new DateTime/],
    ['Util.dateIntsBetween(20200101, 20200110, 1)', /Util\.dateIntsBetween/],
    ['UUID.randomUUID().toString()', /UUID\.randomUUID/],
    ['TARGET_RUN_DATE + 1', /reserved param TARGET_RUN_DATE/],
    ['unknown + 1', /'unknown' is not a param declared here/],
    ['computed + 1', /step's param 'computed', which is computed/],
    ["params.getFromSignal('x')", /signal that started the run/],
    ['d % 2', /% on non-integers/],
    ['s.matches("a.*")', /\.matches/],
    ['x = 1; x', /single expression|declarations|unexpected/],
  ])('reports %s instead of guessing', (source, reason) => {
    const sut = translateSel(source, scope);
    expect(sut.ok).toBe(false);
    if (!sut.ok) expect(sut.reason).toMatch(reason);
  });

  it('reads the signal in a signal trigger, and a signal dependency as its wait step', () => {
    expect(
      translateSel("params.getFromSignal('table')", {
        params: new Map(),
        triggerSignals: new Map([['db.ready', 'signal.params']]),
      }),
    ).toMatchObject({
      cel: 'signal.params.table',
    });
    const waiting: SelScope = {
      params: new Map(),
      signalDependency: (i) => (i === '0' ? 'steps.load_signal_0.outputs.params' : undefined),
    };
    expect(translateSel("params.getFromSignalDependency('0', 'day')", waiting)).toMatchObject({
      cel: 'steps.load_signal_0.outputs.params.day',
    });
  });

  // Java's arithmetic on longs, against the translation evaluated by Baton's CEL.
  it('agrees with Java on integer arithmetic and comparisons (property)', () => {
    type Node = { sel: string; java: number };
    const leaf = fc
      .integer({ min: -50, max: 50 })
      .map((v): Node => ({ sel: v < 0 ? `(${v})` : String(v), java: v }));
    const tree = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('node'), fc.constantFrom('+', '-', '*'), tie('node')).map(([a, op, b]): Node => ({
          sel: `(${a.sel} ${op} ${b.sel})`,
          java: op === '+' ? a.java + b.java : op === '-' ? a.java - b.java : a.java * b.java,
        })),
        fc
          .tuple(tie('node'), fc.constantFrom('/', '%'), tie('node'))
          .filter(([, , b]) => b.java !== 0)
          .map(([a, op, b]): Node => ({
            sel: `(${a.sel} ${op} ${b.sel})`,
            java: op === '/' ? Math.trunc(a.java / b.java) : a.java % b.java,
          })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, tree, fc.constantFrom('<', '<=', '>', '>=', '==', '!='), (a, b, op) => {
        const compare: Record<string, (x: number, y: number) => boolean> = {
          '<': (x, y) => x < y,
          '<=': (x, y) => x <= y,
          '>': (x, y) => x > y,
          '>=': (x, y) => x >= y,
          '==': (x, y) => x === y,
          '!=': (x, y) => x !== y,
        };
        const value = translateSel(a.sel, scope);
        const test = translateSel(`${a.sel} ${op} ${b.sel}`, scope);
        if (!value.ok || !test.ok) return false;
        return evaluate(value.cel) === a.java && evaluate(test.cel) === compare[op](a.java, b.java);
      }),
      { numRuns: 200 },
    );
  });
});
