import type { ParamDefinition, SleepStep } from '../workflow/workflow-definition';
import { cmd, edge, ev, foreachStep, NO_RETRY, step, T0, whileStep, workflow } from './testing/fixtures';
import { given, givenCommands } from './testing/given-when-then';

/**
 * Sleep durations, timeouts and retry limits written as expressions over
 * params (as Maestro allows): evaluated once, when the attempt becomes ready,
 * recorded in its StepReady, and read from there by every later decision.
 */
const params: ParamDefinition[] = [
  { name: 'wait', type: 'string', required: false },
  { name: 'seconds', type: 'double', required: false },
  { name: 'retries', type: 'long', required: false },
];
const defined = (steps: Parameters<typeof workflow>[0], edges: Parameters<typeof workflow>[1] = []) =>
  workflow(steps, edges, { params });

describe('a sleep duration from an expression', () => {
  const nap = defined([
    { ...step('nap', {}, 'sleep'), durationMs: 0, durationExpression: 'params.wait' } as SleepStep,
  ]);

  it('given wait = 90s, when the step becomes ready, then the duration is recorded and the wake-up set from it', () => {
    const outcome = givenCommands().when(cmd.start(nap, { wait: '90s' }));
    expect(outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'StepReady',
        stepId: 'nap',
        settings: { duration_ms: 90_000 },
        dispatch: { kind: 'timer', wakeAt: T0 + 90_000 },
      }),
    );
    expect(outcome.after).toMatchObject({ timers: { 'sleep/nap/1': { fireAt: T0 + 90_000 } } });
  });

  it('given a value that is not a duration, then the step fails at once with the reason, without retry', () => {
    const outcome = givenCommands().when(cmd.start(nap, { wait: 'soon' }));
    expect(outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'StepFailed',
        stepId: 'nap',
        errorKind: 'user',
        willRetry: false,
        message: expect.stringMatching(
          /^steps\.nap\.duration: the expression gave "soon": 'soon' is not a duration/,
        ),
      }),
    );
    expect(outcome.after.status).toBe('failed');
  });
});

describe('a timeout from an expression', () => {
  it('given seconds = 120, then the attempt times out 120 s after it started, as recorded at ready', () => {
    const timed = defined([step('a', { timeoutExpression: 'params.seconds' })]);
    const spec = givenCommands(cmd.start(timed, { seconds: 120 }));
    spec.when(cmd.started('a', 1, 5)).then(ev.started('a', 1, 5, 120_000));
  });
});

describe('retry limits from an expression', () => {
  const flaky = defined([
    step('a', {
      retry: { ...NO_RETRY, userErrorLimit: 0, limitExpressions: { user: 'int(params.retries)' } },
    }),
  ]);

  it('given retries = 1, then one user error is retried and the second is final', () => {
    const first = givenCommands(cmd.start(flaky, { retries: 1 }), cmd.started('a')).when(
      cmd.fail('a', 'user'),
    );
    expect(first.events[0]).toMatchObject({ type: 'StepFailed', willRetry: true });
    givenCommands(
      cmd.start(flaky, { retries: 1 }),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 0),
      cmd.fire('retry/a/2', 'retry', 1_000),
      cmd.started('a', 2, 1_000),
    )
      .when(cmd.fail('a', 'user', 2, 1_000))
      .then(
        {
          type: 'StepFailed',
          stepId: 'a',
          attempt: 2,
          errorKind: 'user',
          message: 'user boom',
          willRetry: false,
          branches: {},
        },
        {
          type: 'RunFailed',
          reason: 'step_failed',
          stepId: 'a',
          message: 'step a failed (user error): user boom',
        },
      );
  });

  it('decides from the value recorded at ready, not from evaluating again', () => {
    // A history whose StepReady recorded 1 retry, though the params would now give 0.
    const history = givenCommands()
      .when(cmd.start(flaky, { retries: 0 }))
      .events.map((event) =>
        event.type === 'StepReady' ? { ...event, settings: { retry_limits: { user: 1 } } } : event,
      );
    const started = given(...history).when(cmd.started('a')).events;
    const outcome = given(...history, ...started).when(cmd.fail('a', 'user'));
    expect(outcome.events[0]).toMatchObject({ type: 'StepFailed', willRetry: true });
    expect(outcome.before).toMatchObject({ steps: { a: { retryLimits: { user: 1 } } } });
  });

  it('given an expression that is not an integer 0-100, then the step fails when it becomes ready, naming the field', () => {
    const outcome = givenCommands().when(cmd.start(flaky, { retries: 500 }));
    expect(outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'StepFailed',
        willRetry: false,
        message:
          'steps.a.retry_policy.user_error_limit: the expression gave 500; a retry limit is an integer 0-100',
      }),
    );
  });
});

describe("other steps' params", () => {
  it("reads a step's params as steps.x.params once it was ready", () => {
    const chain = defined(
      [
        step('a', { params: { region: { literal: 'eu' } } }),
        step('b', { params: { from: { expression: 'steps.a.params.region' } } }),
      ],
      [edge('a', 'b')],
    );
    givenCommands(cmd.start(chain), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(ev.succeeded('a'), ev.ready('b', 1, { from: 'eu' }));
  });
});

describe("a loop step's own params inside its body", () => {
  it('given a foreach with params, then each iteration reads them, the run params under them and the loop values over them', () => {
    const definition = workflow(
      [
        foreachStep(
          'each',
          { table: { literal: ['orders'] } },
          {
            params: {
              region: { literal: 'us' },
              day: { expression: "params.region + '-1'" },
              table: { literal: 'x' },
            },
          },
        ),
      ],
      [],
      { params: [{ name: 'region', type: 'string', required: false, default: 'eu' }] },
    );
    const outcome = givenCommands().when(cmd.start(definition));
    expect(outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'ChildRunsStarted',
        children: [
          {
            index: 0,
            runId: 'run-1~each~1~0',
            params: { region: 'us', day: 'eu-1', table: 'orders', loop_index: 0 },
          },
        ],
      }),
    );
  });

  it('given a while with params, then its condition reads them', () => {
    const definition = workflow([
      whileStep('loop', 'params.loop_index < int(params.times)', { params: { times: { literal: 2 } } }),
    ]);
    const outcome = givenCommands().when(cmd.start(definition));
    expect(outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'ChildRunsStarted',
        children: [
          { index: 0, runId: 'run-1~loop~1~0', params: { times: 2, loop_index: 0, loop_previous: {} } },
        ],
      }),
    );
  });
});
