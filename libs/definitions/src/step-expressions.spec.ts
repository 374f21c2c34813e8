import { accepted, refused } from './testing/documents';

const doc = (steps: Record<string, unknown>[]) => ({
  id: 'wf',
  params: { wait: { type: 'string', default: '30s' }, retries: { type: 'long', default: 2 } },
  steps,
});

describe('durations, timeouts and retry limits as expressions', () => {
  it('reads a sleep duration, a timeout and retry limits written as expressions over params', () => {
    const [nap, load] = accepted(
      doc([
        { id: 'nap', type: 'sleep', duration: '${params.wait}' },
        {
          id: 'load',
          type: 'noop',
          depends_on: ['nap'],
          timeout: { expression: "params.wait + 'm'" },
          retry_policy: { user_error_limit: '${params.retries}', platform_error_limit: 3 },
        },
      ]),
    ).steps;
    expect(nap).toMatchObject({ type: 'sleep', durationMs: 0, durationExpression: 'params.wait' });
    expect(load).toMatchObject({
      timeoutExpression: "params.wait + 'm'",
      retry: { userErrorLimit: 0, platformErrorLimit: 3, limitExpressions: { user: 'params.retries' } },
    });
    expect(load).not.toHaveProperty('timeoutMs');
  });

  it('keeps literal durations and limits as numbers, with no expression', () => {
    const [nap] = accepted(doc([{ id: 'nap', type: 'sleep', duration: '2m', timeout: '5m' }])).steps;
    expect(nap).toMatchObject({ durationMs: 120_000, timeoutMs: 300_000 });
    expect(nap).not.toHaveProperty('durationExpression');
    expect(nap).not.toHaveProperty('timeoutExpression');
  });

  it('checks the expressions at push like any step value: undeclared params, unknown steps', () => {
    expect(
      refused(
        doc([
          { id: 'nap', type: 'sleep', duration: '${params.nope}' },
          { id: 'b', type: 'noop', retry_policy: { timeout_limit: '${steps.ghost.outputs.n}' } },
        ]),
      ).map((error) => [error.path, error.message]),
    ).toEqual([
      ['$.steps[0].duration', expect.stringContaining("unknown parameter 'nope'")],
      ['$.steps[1].retry_policy.timeout_limit', expect.stringContaining("unknown step 'ghost'")],
    ]);
  });

  it('checks at push what it can: a param of a type that cannot give the value, a constant expression', () => {
    expect(
      refused({
        id: 'wf',
        params: { flag: { type: 'boolean', default: true }, day: { type: 'string', default: 'x' } },
        steps: [
          {
            id: 'a',
            type: 'noop',
            timeout: '${params.flag}',
            retry_policy: { user_error_limit: '${params.day}' },
          },
          { id: 'b', type: 'sleep', duration: "${'soon'}" },
        ],
      }),
    ).toEqual([
      {
        path: '$.steps[0].retry_policy.user_error_limit',
        message: 'params.day is a string param; a retry limit needs a long',
      },
      {
        path: '$.steps[0].timeout',
        message: 'params.flag is a boolean param; a duration needs a string, long or double',
      },
      {
        path: '$.steps[1].duration',
        message: expect.stringMatching(/^the expression gives "soon": 'soon' is not a duration/),
      },
    ]);
  });

  it('refuses a literal that is neither a value nor an expression, saying both forms', () => {
    expect(
      refused(doc([{ id: 'a', type: 'noop', timeout: 'soon', retry_policy: { user_error_limit: 'two' } }])),
    ).toEqual([
      {
        path: '$.steps[0].retry_policy.user_error_limit',
        message: 'a retry limit is an integer 0-100, or an expression such as "${params.retries}"',
      },
      {
        path: '$.steps[0].timeout',
        message: expect.stringContaining('or an expression such as "${params.wait}"'),
      },
    ]);
  });
});

describe("a loop step's own params", () => {
  it('are readable in its body and, for a while, its condition', () => {
    expect(() =>
      accepted({
        id: 'wf',
        steps: [
          {
            id: 'each',
            type: 'foreach',
            params: { region: 'eu' },
            loop_params: { n: [1, 2] },
            steps: [{ id: 'work', type: 'noop', params: { where: '${params.region}' } }],
          },
          {
            id: 'again',
            type: 'while',
            params: { times: 3 },
            condition: 'params.loop_index < int(params.times)',
            steps: [{ id: 'work', type: 'noop', params: { n: '${params.times}' } }],
          },
        ],
      }),
    ).not.toThrow();
  });

  it('are not readable by other steps as params', () => {
    expect(
      refused({
        id: 'wf',
        steps: [
          {
            id: 'each',
            type: 'foreach',
            params: { region: 'eu' },
            loop_params: { n: [1] },
            steps: [{ id: 'w', type: 'noop' }],
          },
          { id: 'after', type: 'noop', depends_on: ['each'], params: { r: '${params.region}' } },
        ],
      }).map((error) => error.path),
    ).toEqual(['$.steps[1].params.r']);
  });
});
