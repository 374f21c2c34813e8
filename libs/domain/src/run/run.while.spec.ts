import type { JsonObject } from '../shared/json';
import type { RetryPolicy } from '../workflow/workflow-definition';
import type { RunCommand } from './run.commands';
import { decide } from './run.decide';
import type { RunEvent } from './run.events';
import { evolve } from './run.evolve';
import { replay } from './run.replay';
import { initialState } from './run.state';
import { cmd, edge, ev, NO_RETRY, progressOf, step, T0, whileStep, workflow } from './testing/fixtures';
import { givenCommands, testDeps } from './testing/given-when-then';

const userRetry: RetryPolicy = { ...NO_RETRY, userErrorLimit: 2 };
const limit = { name: 'limit', type: 'long' as const, required: false, default: 3 };

/** `loop` runs while `condition` holds, then `after`; its outputs are the result's parts. */
const looping = (condition: string, options: Parameters<typeof whileStep>[2] = {}) =>
  workflow(
    [
      whileStep('loop', condition, {
        outputs: { count: 'result.iterations', last: 'result.last' },
        ...options,
      }),
      step('after'),
    ],
    [edge('loop', 'after')],
    { params: [limit] },
  );

const iteration = (index: number, previous: JsonObject) => ({
  limit: 3,
  loop_index: index,
  loop_previous: previous,
});

describe('while: iterations', () => {
  it('evaluates the condition before the first iteration and starts it as a child run', () => {
    const definition = looping('params.loop_index < params.limit');
    givenCommands()
      .when(cmd.start(definition))
      .then(ev.runStarted(definition, { limit: 3 }), ev.childrenReady('loop'), {
        type: 'ChildRunsStarted',
        stepId: 'loop',
        attempt: 1,
        children: [{ index: 0, runId: 'run-1~loop~1~0', params: iteration(0, {}) }],
        progress: progressOf({ started: 1, running: 1 }),
      });
  });

  it('passes the previous iteration’s outputs to the next as loop_previous', () => {
    givenCommands(cmd.start(looping('params.loop_index < params.limit')))
      .when(cmd.childFinished('loop', 1, 0, 'succeeded', 10, { body: { n: 1 } }))
      .then(
        ev.childEnded('loop', 1, 0, progressOf({ started: 1, succeeded: 1 }), 'succeeded', {
          body: { n: 1 },
        }),
        {
          type: 'ChildRunsStarted',
          stepId: 'loop',
          attempt: 1,
          children: [ev.child('loop', 1, 1, iteration(1, { body: { n: 1 } }))],
          progress: progressOf({ started: 2, running: 1, succeeded: 1 }),
        },
      );
  });

  it('stops when the condition, over the carried values, turns false; the result is { iterations, last }', () => {
    const carried = looping('params.loop_index == 0 || params.loop_previous.body.n < 2');
    givenCommands(cmd.start(carried), cmd.childFinished('loop', 1, 0, 'succeeded', 10, { body: { n: 1 } }))
      .when(cmd.childFinished('loop', 1, 1, 'succeeded', 20, { body: { n: 2 } }))
      .then(
        ev.childEnded('loop', 1, 1, progressOf({ started: 2, succeeded: 2 }), 'succeeded', {
          body: { n: 2 },
        }),
        ev.succeeded('loop', 1, { count: 2, last: { body: { n: 2 } } }),
        ev.ready('after'),
      );
  });

  it('succeeds at once with { iterations: 0, last: {} } when the condition is false at first', () => {
    const definition = workflow([whileStep('loop', 'false', { outputs: { result: 'result' } })]);
    givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition),
        ev.childrenReady('loop'),
        ev.succeeded('loop', 1, { result: { iterations: 0, last: {} } }),
        { type: 'RunSucceeded' },
      );
  });

  it('refuses a report of the iteration that already ended', () => {
    givenCommands(cmd.start(looping('true')), cmd.childFinished('loop', 1, 0, 'succeeded', 10))
      .when(cmd.childFinished('loop', 1, 0, 'succeeded', 11))
      .thenRejected('UnknownChild');
  });
});

describe('while: failures', () => {
  it('fails the step when an iteration fails, under the retry policy', () => {
    givenCommands(cmd.start(looping('true')))
      .when(cmd.childFinished('loop', 1, 0, 'failed', 10, {}, 'bad batch'))
      .then(
        ev.childEnded('loop', 1, 0, progressOf({ started: 1, failed: 1 }), 'failed', {}, 'bad batch'),
        ev.failed('loop', 1, 'iteration 0: bad batch'),
        ev.runFailed('loop', 'iteration 0: bad batch'),
      );
    givenCommands(cmd.start(looping('true', { retry: userRetry })))
      .when(cmd.childFinished('loop', 1, 0, 'failed', 10, {}, 'bad batch'))
      .then(
        ev.childEnded('loop', 1, 0, progressOf({ started: 1, failed: 1 }), 'failed', {}, 'bad batch'),
        ev.failed('loop', 1, 'iteration 0: bad batch', true),
        { type: 'StepRetryScheduled', stepId: 'loop', attempt: 2, delayMs: 1_000, fireAt: T0 + 1_010 },
      );
  });

  it('starts over from iteration 0 on a retry, with new child ids', () => {
    givenCommands(
      cmd.start(looping('params.loop_index < 5', { retry: userRetry })),
      cmd.childFinished('loop', 1, 0, 'succeeded', 10, { body: { n: 1 } }),
      cmd.childFinished('loop', 1, 1, 'failed', 20),
    )
      .when(cmd.fire('retry/loop/2', 'retry', 1_020))
      .then(ev.childrenReady('loop', 2), {
        type: 'ChildRunsStarted',
        stepId: 'loop',
        attempt: 2,
        children: [{ index: 0, runId: 'run-1~loop~2~0', params: iteration(0, {}) }],
        progress: progressOf({ started: 1, running: 1 }),
      });
  });

  it('fails without retry when max_iterations ran and the condition still holds', () => {
    const message = 'while loop ran 2 iterations (its max_iterations) and its condition still holds';
    givenCommands(
      cmd.start(looping('true', { maxIterations: 2, retry: userRetry })),
      cmd.childFinished('loop', 1, 0, 'succeeded', 10),
    )
      .when(cmd.childFinished('loop', 1, 1, 'succeeded', 20))
      .then(
        ev.childEnded('loop', 1, 1, progressOf({ started: 2, succeeded: 2 })),
        ev.failed('loop', 1, message),
        ev.runFailed('loop', message),
      );
  });

  it('succeeds after max_iterations if the condition turned false just then', () => {
    givenCommands(
      cmd.start(looping('params.loop_index < 2', { maxIterations: 2 })),
      cmd.childFinished('loop', 1, 0, 'succeeded', 10),
    )
      .when(cmd.childFinished('loop', 1, 1, 'succeeded', 20))
      .then(
        ev.childEnded('loop', 1, 1, progressOf({ started: 2, succeeded: 2 })),
        ev.succeeded('loop', 1, { count: 2, last: {} }),
        ev.ready('after'),
      );
  });

  it('fails without retry, naming the condition, when the condition cannot be evaluated', () => {
    const definition = looping('params.nope', { retry: userRetry });
    givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition, { limit: 3 }),
        ev.childrenReady('loop'),
        ev.failed('loop', 1, 'steps.loop.condition: field not found: nope (in params.nope)'),
        ev.runFailed('loop', 'steps.loop.condition: field not found: nope (in params.nope)'),
      );
  });

  it('fails without retry when the condition is not a boolean', () => {
    const outcome = givenCommands().when(cmd.start(looping('params.loop_index', { retry: userRetry })));
    expect(outcome.events[2]).toMatchObject({
      type: 'StepFailed',
      willRetry: false,
      message: expect.stringMatching(/^steps\.loop\.condition: a condition must be true or false/),
    });
  });
});

describe('while: replay', () => {
  it('replays a while history, retry included, to the live state', () => {
    const commands: RunCommand[] = [
      cmd.start(looping('params.loop_index < 2', { retry: userRetry })),
      cmd.childFinished('loop', 1, 0, 'succeeded', 10, { body: { n: 1 } }),
      cmd.childFinished('loop', 1, 1, 'failed', 20),
      cmd.fire('retry/loop/2', 'retry', 1_020),
      cmd.childFinished('loop', 2, 0, 'succeeded', 1_030, { body: { n: 1 } }),
      cmd.childFinished('loop', 2, 1, 'succeeded', 1_040, { body: { n: 2 } }),
    ];
    let state = initialState();
    const history: RunEvent[] = [];
    for (const command of commands) {
      const events = decide(command, state, testDeps);
      history.push(...events);
      state = events.reduce(evolve, state);
    }
    expect(state).toMatchObject({
      steps: { loop: { status: 'succeeded', attempt: 2, outputs: { count: 2, last: { body: { n: 2 } } } } },
    });
    expect(replay(history)).toEqual(state);
  });
});
