import fc from 'fast-check';
import { DEFAULT_DEFINITION_LIMITS } from './limits';
import { rangeLength } from './loop-params';
import { STEP_DEFAULTS, accepted, refused, refusedPaths } from './testing/documents';

const body = [{ id: 'work', type: 'noop' }];
const foreach = (fields: Record<string, unknown>) => ({
  id: 'wf',
  steps: [{ id: 'fan', type: 'foreach', loop_params: { n: [1, 2] }, steps: body, ...fields }],
});

describe('a foreach step', () => {
  it('normalizes its loop params (list, range, expression), pacing defaults and body', () => {
    const definition = accepted({
      id: 'wf',
      params: { tables: { type: 'array', default: ['orders'] } },
      steps: [
        {
          id: 'fan',
          type: 'foreach',
          loop_params: {
            region: ['eu', 'us'],
            day: { range: { from: 0, to: 7 } },
            table: '${params.tables}',
            hour: { range: { from: 0, to: 24, step: 6 } },
          },
          steps: [
            {
              id: 'load',
              type: 'handler',
              handler: 'etl.load',
              params: { where: "${params.region + '/' + string(params.day) + '/' + params.table}" },
            },
            { id: 'report', type: 'noop', depends_on: ['load'], params: { i: '${params.loop_index}' } },
          ],
        },
      ],
    });
    expect(definition.steps).toEqual([
      {
        ...STEP_DEFAULTS,
        id: 'fan',
        type: 'foreach',
        loopParams: {
          region: { literal: ['eu', 'us'] },
          day: { range: { from: 0, to: 7, step: 1 } },
          table: { expression: 'params.tables' },
          hour: { range: { from: 0, to: 24, step: 6 } },
        },
        concurrency: 20,
        ordered: false,
        body: {
          steps: [
            {
              ...STEP_DEFAULTS,
              id: 'load',
              type: 'handler',
              handler: 'etl.load',
              params: {
                where: { expression: "params.region + '/' + string(params.day) + '/' + params.table" },
              },
            },
            {
              ...STEP_DEFAULTS,
              id: 'report',
              type: 'noop',
              params: { i: { expression: 'params.loop_index' } },
            },
          ],
          edges: [{ from: 'load', to: 'report' }],
        },
      },
    ]);
    expect(definition.edges).toEqual([]);
  });

  describe('pacing', () => {
    it('takes concurrency as given', () => {
      expect(accepted(foreach({ concurrency: 5 })).steps[0]).toMatchObject({
        concurrency: 5,
        ordered: false,
      });
    });

    it('runs an ordered foreach one iteration at a time', () => {
      expect(accepted(foreach({ ordered: true })).steps[0]).toMatchObject({ concurrency: 1, ordered: true });
      expect(accepted(foreach({ ordered: true, concurrency: 1 })).steps[0]).toMatchObject({ concurrency: 1 });
    });

    it('refuses ordered with a concurrency above 1 as contradictory', () => {
      expect(refused(foreach({ ordered: true, concurrency: 4 }))).toEqual([
        {
          path: '$.steps[0].concurrency',
          message: 'an ordered foreach runs one iteration at a time; drop concurrency or set ordered: false',
        },
      ]);
    });

    it('refuses a concurrency below 1, over the limit, or not a whole number', () => {
      const limits = { ...DEFAULT_DEFINITION_LIMITS, maxLoopConcurrency: 10 };
      expect(refused(foreach({ concurrency: 11 }), limits)).toEqual([
        { path: '$.steps[0].concurrency', message: 'concurrency 11 is over the limit of 10' },
      ]);
      expect(refusedPaths(foreach({ concurrency: 0 }))).toEqual(['$.steps[0].concurrency']);
      expect(refusedPaths(foreach({ concurrency: 2.5 }))).toEqual(['$.steps[0].concurrency']);
      expect(refusedPaths(foreach({ ordered: 'yes' }))).toEqual(['$.steps[0].ordered']);
    });
  });

  describe('loop params', () => {
    it('needs at least one, named like a param, not loop_index or loop_previous, not shadowing a param', () => {
      expect(refused(foreach({ loop_params: {} }))).toEqual([
        {
          path: '$.steps[0].loop_params',
          message: 'a foreach step needs at least one loop param, e.g. loop_params: { region: [eu, us] }',
        },
      ]);
      const doc = {
        id: 'wf',
        params: { region: { type: 'string', default: 'eu' } },
        steps: [
          {
            id: 'fan',
            type: 'foreach',
            loop_params: { loop_index: [1], loop_previous: [1], '1st': [1], region: ['us'] },
            steps: body,
          },
        ],
      };
      const errors = refused(doc);
      expect(errors.map((e) => e.path)).toEqual([
        '$.steps[0].loop_params["1st"]',
        '$.steps[0].loop_params.loop_index',
        '$.steps[0].loop_params.loop_previous',
        '$.steps[0].loop_params.region',
      ]);
      expect(errors[1].message).toMatch(/^'loop_index' is reserved/);
      expect(errors[3].message).toMatch(/^'region' is already a param here/);
    });

    it('refuses a literal that is not a list', () => {
      const errors = refused(foreach({ loop_params: { a: 'eu', b: { key: 1 }, c: 3 } }));
      expect(errors.map((e) => e.path)).toEqual([
        '$.steps[0].loop_params.a',
        '$.steps[0].loop_params.b',
        '$.steps[0].loop_params.c',
      ]);
      expect(errors[0].message).toMatch(/^a loop param must be a list \(e\.g\. \[eu, us\]\), an expression/);
    });

    it('refuses a malformed range, each problem at its own path', () => {
      const errors = refused(
        foreach({
          loop_params: {
            a: { range: { from: 0 } },
            b: { range: { from: 1.5, to: 'ten' } },
            c: { range: { from: 0, to: 10, step: 0 } },
            d: { range: { from: 5, to: 1 } },
            e: { range: { from: 0, to: 3, by: 1 }, extra: true },
            f: { range: [0, 3] },
          },
        }),
      );
      expect(errors.map((e) => e.path)).toEqual([
        '$.steps[0].loop_params.a.range.to',
        '$.steps[0].loop_params.b.range.from',
        '$.steps[0].loop_params.b.range.to',
        '$.steps[0].loop_params.c.range.step',
        '$.steps[0].loop_params.d.range.to',
        '$.steps[0].loop_params.e.extra',
        '$.steps[0].loop_params.e.range.by',
        '$.steps[0].loop_params.f.range',
      ]);
      expect(errors.find((e) => e.path.endsWith('d.range.to'))?.message).toBe(
        'to (1) is below from (5); a range counts up, and to is exclusive',
      );
    });

    it('accepts an empty range (from equal to to): the foreach then runs no iteration', () => {
      expect(accepted(foreach({ loop_params: { n: { range: { from: 3, to: 3 } } } })).steps[0]).toMatchObject(
        {
          loopParams: { n: { range: { from: 3, to: 3, step: 1 } } },
        },
      );
    });

    it('evaluates expressions where the foreach stands: its params and steps, not its own loop values', () => {
      const doc = {
        id: 'wf',
        steps: [
          { id: 'list', type: 'noop', outputs: { tables: 'result.tables' } },
          {
            id: 'fan',
            type: 'foreach',
            depends_on: ['list'],
            loop_params: { table: '${steps.list.outputs.tables}', again: '${params.loop_index}' },
            steps: body,
          },
        ],
      };
      expect(refused(doc)).toEqual([
        {
          path: '$.steps[1].loop_params.again',
          message: "unknown parameter 'loop_index'; declare it under params",
        },
      ]);
    });

    it('bounds the iterations it can count: each list or range, and their product', () => {
      const limits = { ...DEFAULT_DEFINITION_LIMITS, maxForeachIterations: 10 };
      expect(refused(foreach({ loop_params: { n: { range: { from: 0, to: 11 } } } }), limits)).toEqual([
        {
          path: '$.steps[0].loop_params.n.range',
          message: '11 values; a foreach runs at most 10 iterations',
        },
      ]);
      expect(
        refusedPaths(foreach({ loop_params: { n: Array.from({ length: 11 }, (_, i) => i) } }), limits),
      ).toEqual(['$.steps[0].loop_params.n']);
      expect(
        refused(foreach({ loop_params: { a: [1, 2, 3, 4], b: { range: { from: 0, to: 3 } } } }), limits),
      ).toEqual([
        {
          path: '$.steps[0].loop_params',
          message: 'these loop params make 12 iterations (4 × 3); a foreach runs at most 10',
        },
      ]);
      // An expression's length is known only at run time, where the engine checks it.
      accepted(
        foreach({ loop_params: { a: [1, 2, 3, 4], b: { range: { from: 0, to: 3 } }, c: '${[1]}' } }),
        limits,
      );
    });

    it('counts a range like the list it stands for', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -500, max: 500 }),
          fc.integer({ min: -500, max: 500 }),
          fc.integer({ min: 1, max: 40 }),
          (from, to, step) => {
            const values: number[] = [];
            for (let value = from; value < to; value += step) values.push(value);
            expect(rangeLength({ from, to, step })).toBe(values.length);
          },
        ),
      );
    });
  });

  describe('body', () => {
    it('needs loop_params and a non-empty list of steps', () => {
      expect(refused({ id: 'wf', steps: [{ id: 'fan', type: 'foreach' }] })).toEqual([
        { path: '$.steps[0].loop_params', message: "a foreach step needs 'loop_params'" },
        { path: '$.steps[0].steps', message: "a foreach step needs 'steps'" },
      ]);
      expect(refused(foreach({ steps: [] }))).toEqual([
        { path: '$.steps[0].steps', message: 'a loop body needs at least one step' },
      ]);
      expect(refusedPaths(foreach({ steps: 'work' }))).toEqual(['$.steps[0].steps']);
    });

    it('is a graph of its own: ids unique in the body, edges to body steps, no cycles', () => {
      const doc = foreach({
        steps: [
          { id: 'a', type: 'noop', depends_on: ['b'] },
          { id: 'b', type: 'noop', depends_on: ['a'] },
          { id: 'a', type: 'noop' },
          { id: 'c', type: 'noop', depends_on: ['fan'] },
        ],
      });
      const errors = refused(doc);
      expect(errors.map((e) => e.path)).toEqual([
        '$.steps[0].steps[0].depends_on[0]',
        '$.steps[0].steps[0].id',
        '$.steps[0].steps[2].id',
        '$.steps[0].steps[3].depends_on[0]',
      ]);
      expect(errors[0].message).toBe('cycle: a -> b -> a; remove one of these dependencies');
      expect(errors[2].message).toBe(
        "duplicate step id 'a' (first used at $.steps[0].steps[0].id); step ids must be unique",
      );
      expect(errors[3].message).toBe("unknown step 'fan'; known steps: a, b, c");
    });

    it('may reuse ids of the enclosing workflow (each iteration is a run of its own)', () => {
      accepted(foreach({ steps: [{ id: 'fan', type: 'noop' }] }));
    });

    it('reports problems of body steps at their path', () => {
      const doc = foreach({
        steps: [
          { id: 'ok', type: 'noop' },
          { id: 'x', type: 'sleep', bogus: 1 },
        ],
      });
      expect(refusedPaths(doc)).toEqual(['$.steps[0].steps[1].bogus', '$.steps[0].steps[1].duration']);
    });

    it('reads the workflow params, the loop params and loop_index, and only its own steps', () => {
      const doc = {
        id: 'wf',
        params: { env: { type: 'string', default: 'prod' } },
        steps: [
          { id: 'before', type: 'noop' },
          {
            id: 'fan',
            type: 'foreach',
            depends_on: ['before'],
            loop_params: { n: [1, 2] },
            steps: [
              {
                id: 'a',
                type: 'noop',
                params: { x: '${params.env + string(params.n) + string(params.loop_index)}' },
              },
              {
                id: 'b',
                type: 'noop',
                depends_on: ['a'],
                params: {
                  ok: '${steps.a.status}',
                  previous: '${params.loop_previous}',
                  outside: '${steps.before.status}',
                },
              },
            ],
          },
        ],
      };
      expect(refused(doc)).toEqual([
        {
          path: '$.steps[1].steps[1].params.outside',
          message: "unknown step 'before' in steps.before; a loop body reads only its own steps",
        },
        {
          path: '$.steps[1].steps[1].params.previous',
          message:
            "unknown parameter 'loop_previous'; declare it under params (a loop body also reads n, loop_index)",
        },
      ]);
    });

    it('nests: an inner body reads the outer loop values too', () => {
      const definition = accepted(
        foreach({
          steps: [
            {
              id: 'inner',
              type: 'foreach',
              loop_params: { m: { range: { from: 0, to: 2 } } },
              steps: [
                { id: 'cell', type: 'noop', params: { at: '${[params.n, params.m, params.loop_index]}' } },
              ],
            },
          ],
        }),
      );
      expect(definition.steps[0]).toMatchObject({
        body: { steps: [{ id: 'inner', type: 'foreach', body: { steps: [{ id: 'cell' }] } }] },
      });
    });

    it('refuses bodies nested deeper than the limit, once, at the first body too deep', () => {
      const limits = { ...DEFAULT_DEFINITION_LIMITS, maxNestingDepth: 2 };
      const level = (steps: unknown[]) => [{ id: 'loop', type: 'while', condition: 'false', steps }];
      const doc = { id: 'wf', steps: level(level(level(level(body)))) };
      expect(refused(doc, limits)).toEqual([
        {
          path: '$.steps[0].steps[0].steps[0].steps',
          message: 'loop bodies nest 3 levels deep here; the limit is 2',
        },
      ]);
      accepted({ id: 'wf', steps: level(level(body)) }, limits);
    });
  });

  it('refuses its fields on other step types, and other types’ fields on it', () => {
    const doc = {
      id: 'wf',
      steps: [
        { id: 'a', type: 'noop', steps: body, concurrency: 2 },
        { id: 'b', type: 'foreach', loop_params: { n: [1] }, steps: body, condition: 'true', handler: 'x' },
      ],
    };
    const errors = refused(doc);
    expect(errors).toEqual([
      {
        path: '$.steps[0].concurrency',
        message: "'concurrency' applies to foreach steps only; this step is a noop step",
      },
      {
        path: '$.steps[0].steps',
        message: "'steps' applies to foreach and while steps only; this step is a noop step",
      },
      {
        path: '$.steps[1].condition',
        message: "'condition' applies to while steps only; this step is a foreach step",
      },
      {
        path: '$.steps[1].handler',
        message: "'handler' applies to handler steps only; this step is a foreach step",
      },
    ]);
  });
});
