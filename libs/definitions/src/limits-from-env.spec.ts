import fc from 'fast-check';
import { DEFAULT_DEFINITION_LIMITS } from './limits';
import { LIMIT_VARIABLES, definitionLimitsFromEnv } from './limits-from-env';

describe('definitionLimitsFromEnv', () => {
  it('gives the defaults when no variable is set, or set empty', () => {
    expect(definitionLimitsFromEnv({})).toEqual(DEFAULT_DEFINITION_LIMITS);
    expect(definitionLimitsFromEnv({ BATON_LIMIT_MAX_STEPS: '', BATON_LIMIT_MAX_PARAM_BYTES: ' ' })).toEqual(
      DEFAULT_DEFINITION_LIMITS,
    );
  });

  it('overrides each limit by its variable and leaves the others', () => {
    expect(
      definitionLimitsFromEnv({
        BATON_LIMIT_MAX_STEPS: '50',
        BATON_LIMIT_MAX_FOREACH_ITERATIONS: '1000000',
        BATON_LIMIT_MAX_NESTING_DEPTH: '2',
        BATON_LIMIT_MAX_LOOP_CONCURRENCY: '64',
        BATON_LIMIT_MAX_WHILE_ITERATIONS: '10',
        BATON_LIMIT_MAX_PARAM_BYTES: '1024',
        BATON_UNRELATED: 'x',
      }),
    ).toEqual({
      ...DEFAULT_DEFINITION_LIMITS,
      maxSteps: 50,
      maxForeachIterations: 1_000_000,
      maxNestingDepth: 2,
      maxLoopConcurrency: 64,
      maxWhileIterations: 10,
      maxParamBytes: 1024,
    });
  });

  it.each(['0', '-1', '1.5', '1e3', '10k', 'abc', '0x10', '99999999999999999999'])(
    'refuses %p, naming the variable',
    (value) => {
      expect(() => definitionLimitsFromEnv({ BATON_LIMIT_MAX_NESTING_DEPTH: value })).toThrow(
        `BATON_LIMIT_MAX_NESTING_DEPTH must be a positive integer (default 5), got '${value}'`,
      );
    },
  );

  it('reads back any positive integer written to any of its variables', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(LIMIT_VARIABLES) as (keyof typeof LIMIT_VARIABLES)[])),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (variable, value) => {
          const limits = definitionLimitsFromEnv({ [variable]: String(value) });
          expect(limits[LIMIT_VARIABLES[variable]]).toBe(value);
        },
      ),
    );
  });
});
