import { DEFAULT_DEFINITION_LIMITS } from './limits';
import { STEP_DEFAULTS, accepted, refused, refusedPaths } from './testing/documents';

const loop = (fields: Record<string, unknown>) => ({
  id: 'wf',
  params: { target: { type: 'long', default: 3 } },
  steps: [
    { id: 'poll', type: 'while', condition: 'true', steps: [{ id: 'check', type: 'noop' }], ...fields },
  ],
});

describe('a while step', () => {
  it('normalizes its condition, max_iterations (default 100) and body', () => {
    const definition = accepted(
      loop({
        condition: 'params.loop_index < params.target',
        steps: [
          { id: 'check', type: 'noop', outputs: { done: 'result.done' } },
          { id: 'wait', type: 'sleep', duration: '1s', depends_on: ['check'] },
        ],
      }),
    );
    expect(definition.steps).toEqual([
      {
        ...STEP_DEFAULTS,
        id: 'poll',
        type: 'while',
        condition: 'params.loop_index < params.target',
        maxIterations: 100,
        body: {
          steps: [
            { ...STEP_DEFAULTS, id: 'check', type: 'noop', outputs: { done: 'result.done' } },
            { ...STEP_DEFAULTS, id: 'wait', type: 'sleep', durationMs: 1000 },
          ],
          edges: [{ from: 'check', to: 'wait' }],
        },
      },
    ]);
    expect(accepted(loop({ max_iterations: 7 })).steps[0]).toMatchObject({ maxIterations: 7 });
  });

  it('lets the condition read loop_index, loop_previous, the params and the steps before it', () => {
    const doc = {
      id: 'wf',
      steps: [
        { id: 'seed', type: 'noop' },
        {
          id: 'poll',
          type: 'while',
          depends_on: ['seed'],
          condition:
            "params.loop_index == 0 || (has(params.loop_previous.check) && steps.seed.status == 'SUCCEEDED')",
          steps: [{ id: 'check', type: 'noop' }],
        },
      ],
    };
    accepted(doc);
  });

  it('refuses a condition that does not parse, reads what it cannot, or is missing', () => {
    expect(refused(loop({ condition: 'params.loop_index <' }))).toEqual([
      { path: '$.steps[0].condition', message: expect.stringContaining('syntax') },
    ]);
    expect(refused(loop({ condition: 'result.done' }))).toEqual([
      {
        path: '$.steps[0].condition',
        message: "'result' cannot be used here; this expression can read params, steps, run",
      },
    ]);
    expect(refused(loop({ condition: 'params.count > 3' }))).toEqual([
      { path: '$.steps[0].condition', message: "unknown parameter 'count'; declare it under params" },
    ]);
    const noCondition = {
      id: 'wf',
      steps: [{ id: 'poll', type: 'while', steps: [{ id: 'a', type: 'noop' }] }],
    };
    expect(refused(noCondition)).toEqual([
      { path: '$.steps[0].condition', message: "a while step needs 'condition'" },
    ]);
    expect(refusedPaths(loop({ condition: '' }))).toEqual(['$.steps[0].condition']);
  });

  it('gives its body loop_index and loop_previous as params', () => {
    accepted(
      loop({
        steps: [
          {
            id: 'check',
            type: 'noop',
            params: {
              attempt: '${params.loop_index}',
              last: '${params.loop_previous}',
              of: '${params.target}',
            },
          },
        ],
      }),
    );
  });

  it('checks its body like a graph of its own', () => {
    const doc = loop({ steps: [{ id: 'a', type: 'noop', next: ['poll'] }] });
    expect(refused(doc)).toEqual([
      { path: '$.steps[0].steps[0].next[0]', message: "unknown step 'poll'; known steps: a" },
    ]);
  });

  it('refuses max_iterations below 1 or over the limit', () => {
    const limits = { ...DEFAULT_DEFINITION_LIMITS, maxWhileIterations: 50 };
    expect(refused(loop({ max_iterations: 51 }), limits)).toEqual([
      { path: '$.steps[0].max_iterations', message: 'max_iterations 51 is over the limit of 50' },
    ]);
    expect(refused(loop({ max_iterations: 0 }))).toEqual([
      { path: '$.steps[0].max_iterations', message: 'max_iterations must be at least 1' },
    ]);
  });

  it('refuses foreach fields', () => {
    expect(refusedPaths(loop({ loop_params: { n: [1] }, ordered: true }))).toEqual([
      '$.steps[0].loop_params',
      '$.steps[0].ordered',
    ]);
  });
});
