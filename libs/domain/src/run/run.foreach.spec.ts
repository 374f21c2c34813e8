import type { RetryPolicy } from '../workflow/workflow-definition';
import { DEFAULT_RUN_LIMITS } from './run.deps';
import { replay } from './run.replay';
import type { RunCommand } from './run.commands';
import {
  childId,
  cmd,
  edge,
  ev,
  foreachStep,
  NO_RETRY,
  progressOf,
  RUN_ID,
  step,
  T0,
  workflow,
} from './testing/fixtures';
import { givenCommands, givenCommandsWith, testDeps } from './testing/given-when-then';
import { decide } from './run.decide';
import { evolve } from './run.evolve';
import { initialState } from './run.state';

const region = { name: 'region', type: 'string' as const, required: false, default: 'eu' };

/** foreach over three tables, two at a time, then `after`. */
const overTables = (options: Parameters<typeof foreachStep>[2] = {}) =>
  workflow(
    [
      foreachStep(
        'each',
        { table: { literal: ['orders', 'users', 'items'] } },
        { concurrency: 2, outputs: { n: 'result.iterations', ok: 'result.succeeded' }, ...options },
      ),
      step('after'),
    ],
    [edge('each', 'after')],
    { params: [region] },
  );

const tableParams = (table: string, index: number) => ({ region: 'eu', table, loop_index: index });
const settings = { loop_params: { table: ['orders', 'users', 'items'] } };
const userRetry: RetryPolicy = { ...NO_RETRY, userErrorLimit: 1 };

describe('foreach: starting iterations', () => {
  it('waits for child runs and starts the first `concurrency` of them, with derived ids and params', () => {
    givenCommands()
      .when(cmd.start(overTables()))
      .then(ev.runStarted(overTables(), { region: 'eu' }), ev.childrenReady('each', 1, settings), {
        type: 'ChildRunsStarted',
        stepId: 'each',
        attempt: 1,
        children: [
          { index: 0, runId: 'run-1~each~1~0', params: tableParams('orders', 0) },
          { index: 1, runId: 'run-1~each~1~1', params: tableParams('users', 1) },
        ],
        progress: progressOf({ total: 3, started: 2, running: 2 }),
      });
  });

  it('keeps the step waiting with a bounded loop state: counters and the running children only', () => {
    const outcome = givenCommands().when(cmd.start(overTables()));
    expect(outcome.after).toMatchObject({ steps: { each: { status: 'waiting', attempt: 1 } } });
    expect(outcome.after).toHaveProperty('steps.each.loop', {
      progress: progressOf({ total: 3, started: 2, running: 2 }),
      running: { 0: childId('each', 1, 0), 1: childId('each', 1, 1) },
      values: settings.loop_params,
      previous: {},
      firstFailure: null,
    });
  });

  it('starts all iterations at once when the concurrency allows it', () => {
    const outcome = givenCommands().when(cmd.start(overTables({ concurrency: 10 })));
    expect(outcome.events[2]).toMatchObject({
      type: 'ChildRunsStarted',
      children: [{ index: 0 }, { index: 1 }, { index: 2 }],
      progress: progressOf({ total: 3, started: 3, running: 3 }),
    });
  });

  it('iterates over the Cartesian product, the last loop param fastest, ranges included', () => {
    const definition = workflow([
      foreachStep(
        'grid',
        { a: { literal: ['x', 'y'] }, b: { range: { from: 10, to: 16, step: 2 } } },
        { concurrency: 100 },
      ),
    ]);
    const outcome = givenCommands().when(cmd.start(definition));
    expect(outcome.events[1]).toEqual(
      expect.objectContaining({
        settings: { loop_params: { a: ['x', 'y'], b: { range: { from: 10, to: 16, step: 2 } } } },
      }),
    );
    expect(outcome.events[2]).toMatchObject({
      type: 'ChildRunsStarted',
      children: [
        { index: 0, params: { a: 'x', b: 10, loop_index: 0 } },
        { index: 1, params: { a: 'x', b: 12, loop_index: 1 } },
        { index: 2, params: { a: 'x', b: 14, loop_index: 2 } },
        { index: 3, params: { a: 'y', b: 10, loop_index: 3 } },
        { index: 4, params: { a: 'y', b: 12, loop_index: 4 } },
        { index: 5, params: { a: 'y', b: 14, loop_index: 5 } },
      ],
      progress: { total: 6 },
    });
  });

  it('evaluates a loop param expression when the step becomes ready', () => {
    const definition = workflow([foreachStep('each', { day: { expression: 'params.days' } })], [], {
      params: [{ name: 'days', type: 'array', required: true }],
    });
    const outcome = givenCommands().when(cmd.start(definition, { days: ['d1', 'd2'] }));
    expect(outcome.events[2]).toMatchObject({
      children: [
        { index: 0, params: { days: ['d1', 'd2'], day: 'd1', loop_index: 0 } },
        { index: 1, params: { days: ['d1', 'd2'], day: 'd2', loop_index: 1 } },
      ],
    });
  });

  it('starts one iteration at a time when ordered, whatever the concurrency', () => {
    const ordered = overTables({ concurrency: 5, ordered: true });
    const outcome = givenCommands().when(cmd.start(ordered));
    expect(outcome.events[2]).toMatchObject({
      children: [{ index: 0 }],
      progress: progressOf({ total: 3, started: 1, running: 1 }),
    });
    givenCommands(cmd.start(ordered))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 10))
      .then(ev.childEnded('each', 1, 0, progressOf({ total: 3, started: 1, succeeded: 1 })), {
        type: 'ChildRunsStarted',
        stepId: 'each',
        attempt: 1,
        children: [ev.child('each', 1, 1, tableParams('users', 1))],
        progress: progressOf({ total: 3, started: 2, running: 1, succeeded: 1 }),
      });
  });
});

describe('foreach: iterations ending', () => {
  it('counts an ended child and starts the next iteration in its place', () => {
    givenCommands(cmd.start(overTables()))
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 10))
      .then(ev.childEnded('each', 1, 1, progressOf({ total: 3, started: 2, running: 1, succeeded: 1 })), {
        type: 'ChildRunsStarted',
        stepId: 'each',
        attempt: 1,
        children: [ev.child('each', 1, 2, tableParams('items', 2))],
        progress: progressOf({ total: 3, started: 3, running: 2, succeeded: 1 }),
      });
  });

  it('starts nothing once every iteration started, and succeeds when the last one succeeds', () => {
    const spec = givenCommands(
      cmd.start(overTables()),
      cmd.childFinished('each', 1, 0, 'succeeded', 10),
      cmd.childFinished('each', 1, 2, 'succeeded', 20),
    );
    spec
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 30))
      .then(
        ev.childEnded('each', 1, 1, progressOf({ total: 3, started: 3, succeeded: 3 })),
        ev.succeeded('each', 1, { n: 3, ok: 3 }),
        ev.ready('after'),
      );
  });

  it('gives the step the result { iterations, succeeded, failed } to its outputs', () => {
    const definition = workflow([
      foreachStep('each', { x: { literal: [1] } }, { outputs: { result: 'result' } }),
    ]);
    givenCommands(cmd.start(definition))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 10))
      .then(
        ev.childEnded('each', 1, 0, progressOf({ total: 1, started: 1, succeeded: 1 })),
        ev.succeeded('each', 1, { result: { iterations: 1, succeeded: 1, failed: 0 } }),
        { type: 'RunSucceeded' },
      );
  });

  it('succeeds at once with zero iterations, starting no child', () => {
    const definition = workflow([
      foreachStep('each', { x: { literal: [] } }, { outputs: { result: 'result' } }),
    ]);
    givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition),
        ev.childrenReady('each', 1, { loop_params: { x: [] } }),
        ev.succeeded('each', 1, { result: { iterations: 0, succeeded: 0, failed: 0 } }),
        { type: 'RunSucceeded' },
      );
    const emptyRange = workflow([foreachStep('each', { i: { range: { from: 5, to: 5, step: 1 } } })]);
    const outcome = givenCommands().when(cmd.start(emptyRange));
    expect(outcome.events.map((e) => e.type)).toEqual([
      'RunStarted',
      'StepReady',
      'StepSucceeded',
      'RunSucceeded',
    ]);
  });
});

describe('foreach: failures', () => {
  it('stops starting iterations after a failure and waits for the running ones', () => {
    givenCommands(cmd.start(overTables()))
      .when(cmd.childFinished('each', 1, 0, 'failed', 10, {}, 'exit code 3'))
      .then(
        ev.childEnded(
          'each',
          1,
          0,
          progressOf({ total: 3, started: 2, running: 1, failed: 1 }),
          'failed',
          {},
          'exit code 3',
        ),
      );
  });

  it('fails the step (a user error) once the running iterations ended, with the first failure', () => {
    givenCommands(cmd.start(overTables()), cmd.childFinished('each', 1, 0, 'failed', 10, {}, 'exit code 3'))
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 20))
      .then(
        ev.childEnded('each', 1, 1, progressOf({ total: 3, started: 2, failed: 1, succeeded: 1 })),
        ev.failed('each', 1, 'iteration 0: exit code 3'),
        ev.runFailed('each', 'iteration 0: exit code 3'),
      );
  });

  it('counts a cancelled iteration as a failure of the step', () => {
    const definition = workflow([foreachStep('each', { x: { literal: [1] } })]);
    givenCommands(cmd.start(definition))
      .when(cmd.childFinished('each', 1, 0, 'cancelled', 10, {}, 'killed'))
      .then(
        ev.childEnded(
          'each',
          1,
          0,
          progressOf({ total: 1, started: 1, cancelled: 1 }),
          'cancelled',
          {},
          'killed',
        ),
        ev.failed('each', 1, 'iteration 0: killed'),
        ev.runFailed('each', 'iteration 0: killed'),
      );
  });

  it('retries under the retry policy: the new attempt starts over with new child ids', () => {
    const spec = givenCommands(
      cmd.start(overTables({ retry: userRetry })),
      cmd.childFinished('each', 1, 0, 'failed', 10),
    );
    spec
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 20))
      .then(
        ev.childEnded('each', 1, 1, progressOf({ total: 3, started: 2, failed: 1, succeeded: 1 })),
        ev.failed('each', 1, 'iteration 0: child failed', true),
        { type: 'StepRetryScheduled', stepId: 'each', attempt: 2, delayMs: 1_000, fireAt: T0 + 1_020 },
      );
    givenCommands(
      cmd.start(overTables({ retry: userRetry })),
      cmd.childFinished('each', 1, 0, 'failed', 10),
      cmd.childFinished('each', 1, 1, 'succeeded', 20),
    )
      .when(cmd.fire('retry/each/2', 'retry', 1_020))
      .then(ev.childrenReady('each', 2, settings), {
        type: 'ChildRunsStarted',
        stepId: 'each',
        attempt: 2,
        children: [
          { index: 0, runId: 'run-1~each~2~0', params: tableParams('orders', 0) },
          { index: 1, runId: 'run-1~each~2~1', params: tableParams('users', 1) },
        ],
        progress: progressOf({ total: 3, started: 2, running: 2 }),
      });
  });

  it('fails without retry when the iterations exceed the limit', () => {
    const deps = { ...testDeps, limits: { ...DEFAULT_RUN_LIMITS, maxForeachIterations: 5 } };
    const definition = workflow([
      foreachStep('each', { i: { range: { from: 0, to: 6, step: 1 } } }, { retry: userRetry }),
    ]);
    givenCommandsWith(deps)
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition),
        ev.childrenReady('each', 1, { loop_params: { i: { range: { from: 0, to: 6, step: 1 } } } }),
        ev.failed('each', 1, 'foreach has 6 iterations, more than the limit of 5'),
        ev.runFailed('each', 'foreach has 6 iterations, more than the limit of 5'),
      );
    const atLimit = givenCommandsWith(deps).when(
      cmd.start(workflow([foreachStep('each', { i: { range: { from: 0, to: 5, step: 1 } } })])),
    );
    expect(atLimit.events[2]).toMatchObject({ type: 'ChildRunsStarted', progress: { total: 5 } });
  });

  it('fails without retry, naming the path, when a loop param is not an array', () => {
    const definition = workflow(
      [foreachStep('each', { table: { expression: 'params.region' } }, { retry: userRetry })],
      [],
      { params: [region] },
    );
    givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition, { region: 'eu' }),
        ev.failed('each', 1, 'steps.each.loop_params.table: expected an array, got string'),
        ev.runFailed('each', 'steps.each.loop_params.table: expected an array, got string'),
      );
  });
});

describe('foreach: reports that do not fit', () => {
  const twoRunning = () => givenCommands(cmd.start(overTables({ retry: userRetry })));

  it('refuses a child that is not running: unknown index or a foreign run id', () => {
    twoRunning()
      .when(cmd.childFinished('each', 1, 2, 'succeeded', 10))
      .thenRejected('UnknownChild');
    twoRunning()
      .when({ ...cmd.childFinished('each', 1, 0, 'succeeded', 10), childRunId: 'run-9~each~1~0' })
      .thenRejected('UnknownChild');
  });

  it('refuses a second report of the same child', () => {
    givenCommands(cmd.start(overTables()), cmd.childFinished('each', 1, 0, 'succeeded', 10))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 11))
      .thenRejected('UnknownChild');
  });

  it('refuses a child of an earlier attempt', () => {
    givenCommands(
      cmd.start(overTables({ retry: userRetry })),
      cmd.childFinished('each', 1, 0, 'failed', 10),
      cmd.childFinished('each', 1, 1, 'succeeded', 20),
      cmd.fire('retry/each/2', 'retry', 1_020),
    )
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 1_030))
      .thenRejected('StaleAttempt');
  });

  it('refuses a child report once the step no longer waits (retry pending, succeeded)', () => {
    givenCommands(
      cmd.start(overTables({ retry: userRetry })),
      cmd.childFinished('each', 1, 0, 'failed', 10),
      cmd.childFinished('each', 1, 1, 'succeeded', 20),
    )
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 30))
      .thenRejected('StepNotWaiting');
    givenCommands(
      cmd.start(overTables()),
      cmd.childFinished('each', 1, 0, 'succeeded', 10),
      cmd.childFinished('each', 1, 1, 'succeeded', 20),
      cmd.childFinished('each', 1, 2, 'succeeded', 30),
    )
      .when(cmd.childFinished('each', 1, 2, 'succeeded', 40))
      .thenRejected('StepNotWaiting');
  });

  it('refuses a child report for a step that has no children, or for a run that ended', () => {
    twoRunning()
      .when(cmd.childFinished('after', 0, 0, 'succeeded', 10))
      .thenRejected('UnknownStep');
    twoRunning()
      .when(cmd.childFinished('ghost', 1, 0, 'succeeded', 10))
      .thenRejected('UnknownStep');
    givenCommands(cmd.start(overTables()), cmd.cancel('stop', 5))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 10))
      .thenRejected('RunNotRunning');
  });
});

describe('foreach: timeouts and replay', () => {
  it('times out a waiting foreach from its StepReady, since no executor reports a start', () => {
    const spec = givenCommands(cmd.start(overTables({ timeoutMs: 60_000 }), {}, 5));
    expect(spec.when(cmd.childFinished('each', 1, 0, 'succeeded', 10)).after).toMatchObject({
      timers: { 'step_timeout/each/1': { kind: 'step_timeout', fireAt: T0 + 60_005 } },
    });
    spec
      .when(cmd.fire('step_timeout/each/1', 'step_timeout', 60_005))
      .then(
        { type: 'StepTimedOut', stepId: 'each', attempt: 1, willRetry: false, branches: {} },
        ev.runFailed('each', 'step timed out', 'timeout'),
      );
  });

  it('replays a foreach history to the live state', () => {
    const commands: RunCommand[] = [
      cmd.start(overTables({ retry: userRetry })),
      cmd.childFinished('each', 1, 0, 'failed', 10),
      cmd.childFinished('each', 1, 1, 'succeeded', 20),
      cmd.fire('retry/each/2', 'retry', 1_020),
      cmd.childFinished('each', 2, 1, 'succeeded', 1_030),
      cmd.childFinished('each', 2, 5, 'succeeded', 1_031),
      cmd.childFinished('each', 2, 0, 'succeeded', 1_040),
      cmd.childFinished('each', 2, 2, 'succeeded', 1_050),
      cmd.started('after', 1, 1_060),
      cmd.complete('after', 1, 1_070),
    ];
    let state = initialState();
    const history = [];
    for (const command of commands) {
      const events = decide(command, state, testDeps);
      history.push(...events);
      state = events.reduce(evolve, state);
    }
    expect(state).toMatchObject({ status: 'succeeded', runId: RUN_ID, steps: { each: { attempt: 2 } } });
    expect(history.filter((e) => e.type === 'CommandRejected')).toHaveLength(1);
    expect(replay(history)).toEqual(state);
  });
});
