import type { RunCommand } from './run.commands';
import { decide } from './run.decide';
import type { RunEvent } from './run.events';
import { evolve } from './run.evolve';
import { replay } from './run.replay';
import { initialState } from './run.state';
import { cmd, edge, ev, step, T0, workflow } from './testing/fixtures';
import { givenCommands, testDeps } from './testing/given-when-then';

/** a -> b -> c; b reads a's output and the run attempt. */
const chain = (extra: { timeoutMs?: number } = {}) =>
  workflow(
    [
      step('a', { outputs: { v: 'result.v' } }),
      step('b', { params: { v: { expression: 'steps.a.outputs.v' }, ra: { expression: 'run.attempt' } } }),
      step('c'),
    ],
    [edge('a', 'b'), edge('b', 'c')],
    extra,
  );

/** The chain's first attempt: a succeeded with v = 7, b failed, c never ran. */
const failedAtB = (definition = chain()): RunCommand[] => [
  cmd.start(definition),
  cmd.started('a'),
  cmd.complete('a', 1, 10, { v: 7 }),
  cmd.started('b', 1, 20),
  cmd.fail('b', 'user', 1, 30),
];

const restarted = (mode: 'incomplete' | 'beginning' | 'from_step', resetSteps: string[], extra = {}) =>
  ({
    type: 'RunRestarted',
    runAttempt: 2,
    mode,
    fromStepId: null,
    params: {},
    resetSteps,
    timeoutAt: null,
    ...extra,
  }) as const;

describe('RestartRun', () => {
  it('is refused while the run is running, and for a run that does not exist', () => {
    givenCommands(cmd.start(chain())).when(cmd.restart('incomplete', 5)).thenRejected('RunNotFinished');
    givenCommands().when(cmd.restart('incomplete', 5)).thenRejected('RunNotFound');
  });

  it('incomplete: re-runs what did not succeed; attempt numbers go on, succeeded outputs stay readable', () => {
    const outcome = givenCommands(...failedAtB())
      .when(cmd.restart('incomplete', 100))
      .then(restarted('incomplete', ['b', 'c']), ev.ready('b', 2, { v: 7, ra: 2 }));
    expect(outcome.after).toMatchObject({
      status: 'running',
      runAttempt: 2,
      failedStepId: null,
      steps: {
        a: { status: 'succeeded', attempt: 1, outputs: { v: 7 } },
        b: { status: 'ready', attempt: 2, userErrors: 0, failure: null },
        c: { status: 'pending', attempt: 0 },
      },
    });
  });

  it('incomplete: the run goes on to succeed', () => {
    givenCommands(
      ...failedAtB(),
      cmd.restart('incomplete', 100),
      cmd.started('b', 2, 110),
      cmd.complete('b', 2, 120),
      cmd.started('c', 1, 130),
    )
      .when(cmd.complete('c', 1, 140))
      .then(ev.succeeded('c'), { type: 'RunSucceeded' });
  });

  it('refuses the first attempt’s late report once the restarted attempt is out', () => {
    givenCommands(...failedAtB(), cmd.restart('incomplete', 100))
      .when(cmd.complete('b', 1, 110))
      .thenRejected('StaleAttempt');
  });

  it('beginning: re-runs every step', () => {
    givenCommands(...failedAtB())
      .when(cmd.restart('beginning', 100))
      .then(restarted('beginning', ['a', 'b', 'c']), ev.ready('a', 2));
  });

  it('from_step: re-runs the step and what is downstream of it, nothing else', () => {
    const diamond = workflow(
      [
        step('a', { outputs: { v: 'result.v' } }),
        step('b', { params: { v: { expression: 'steps.a.outputs.v' } } }),
        step('c'),
        step('d'),
      ],
      [edge('a', 'b'), edge('b', 'c'), edge('a', 'd')],
    );
    const outcome = givenCommands(
      cmd.start(diamond),
      cmd.started('a'),
      cmd.complete('a', 1, 10, { v: 7 }),
      cmd.started('b', 1, 20),
      cmd.started('d', 1, 20),
      cmd.complete('b', 1, 30),
      cmd.complete('d', 1, 30),
      cmd.started('c', 1, 40),
      cmd.complete('c', 1, 50),
    )
      .when(cmd.restart('from_step', 100, { stepId: 'b' }))
      .then(restarted('from_step', ['b', 'c'], { fromStepId: 'b' }), ev.ready('b', 2, { v: 7 }));
    expect(outcome.after).toMatchObject({
      steps: { a: { status: 'succeeded' }, d: { status: 'succeeded' }, c: { status: 'pending', attempt: 1 } },
    });
  });

  it('from_step: finds downstream steps whatever the definition order', () => {
    const backwards = workflow([step('z'), step('y'), step('x')], [edge('y', 'z'), edge('x', 'y')]);
    const outcome = givenCommands(
      cmd.start(backwards),
      cmd.started('x'),
      cmd.complete('x', 1, 10),
      cmd.started('y', 1, 20),
      cmd.complete('y', 1, 30),
      cmd.started('z', 1, 40),
      cmd.complete('z', 1, 50),
    ).when(cmd.restart('from_step', 100, { stepId: 'x' }));
    expect(outcome.events[0]).toMatchObject({ type: 'RunRestarted', resetSteps: ['z', 'y', 'x'] });
  });

  it('from_step: a step failed outside the restarted part still fails the run', () => {
    const branches = workflow([step('a', { failureMode: 'finish_running' }), step('b')]);
    givenCommands(
      cmd.start(branches),
      cmd.started('a'),
      cmd.started('b'),
      cmd.fail('a', 'user', 1, 10),
      cmd.complete('b', 1, 20),
      cmd.restart('from_step', 100, { stepId: 'b' }),
      cmd.started('b', 2, 110),
    )
      .when(cmd.complete('b', 2, 120))
      .then(ev.succeeded('b', 2), {
        type: 'RunFailed',
        reason: 'step_failed',
        stepId: 'a',
        message: 'step a failed (user error); the running steps finished first',
      });
  });

  it('from_step: also re-runs the steps the run’s end cancelled, whose successors wait on them', () => {
    const branches = workflow([step('a'), step('b'), step('c')], [edge('b', 'c')]);
    givenCommands(cmd.start(branches), cmd.started('a'), cmd.started('b'), cmd.fail('a', 'user', 1, 10))
      .when(cmd.restart('from_step', 100, { stepId: 'a' }))
      .then(restarted('from_step', ['a', 'b'], { fromStepId: 'a' }), ev.ready('a', 2), ev.ready('b', 2));
  });

  it('from_step: a step the kill cancelled that nothing waits for keeps its outcome, and the run ends cancelled', () => {
    const parallel = workflow([step('a'), step('b')]);
    const killed = [cmd.start(parallel), cmd.started('a'), cmd.started('b'), cmd.cancel('oops', 10)];
    const outcome = givenCommands(...killed)
      .when(cmd.restart('from_step', 100, { stepId: 'a' }))
      .then(restarted('from_step', ['a'], { fromStepId: 'a' }), ev.ready('a', 2));
    expect(outcome.after).toMatchObject({ steps: { b: { status: 'cancelled', attempt: 1 } } });
    givenCommands(...killed, cmd.restart('from_step', 100, { stepId: 'a' }), cmd.started('a', 2, 110))
      .when(cmd.complete('a', 2, 120))
      .then(ev.succeeded('a', 2), {
        type: 'RunCancelled',
        reason: 'step b stayed cancelled: the restart did not re-run it',
      });
  });

  it('from_step: re-runs a cancelled step outside the restarted part only when a step still to run waits for it', () => {
    // a -> c <- b, d -> e: the kill cancelled a, b and d (e never ran); from c needs a and b; e needs d.
    const joins = workflow(
      [step('a'), step('b'), step('c'), step('d'), step('e'), step('f')],
      [edge('a', 'c'), edge('b', 'c'), edge('d', 'e')],
    );
    givenCommands(
      cmd.start(joins),
      cmd.started('a'),
      cmd.started('b'),
      cmd.started('d'),
      cmd.started('f'),
      cmd.cancel('oops', 10),
    )
      .when(cmd.restart('from_step', 100, { stepId: 'c' }))
      .then(
        restarted('from_step', ['a', 'b', 'c', 'd'], { fromStepId: 'c' }),
        ev.ready('a', 2),
        ev.ready('b', 2),
        ev.ready('d', 2),
      );
  });

  it('from_step: refuses an unknown or missing step', () => {
    givenCommands(...failedAtB())
      .when(cmd.restart('from_step', 100, { stepId: 'ghost' }))
      .thenRejected('UnknownStep');
    givenCommands(...failedAtB())
      .when(cmd.restart('from_step', 100))
      .thenRejected('UnknownStep');
  });

  it('replaces the given params, keeps the others, and checks them like a new run’s', () => {
    const definition = workflow(
      [step('a', { params: { day: { expression: 'params.day' }, env: { expression: 'params.env' } } })],
      [],
      {
        params: [
          { name: 'day', type: 'string', required: true },
          { name: 'env', type: 'string', required: false, default: 'prod' },
        ],
      },
    );
    const history = [cmd.start(definition, { day: 'd1' }), cmd.started('a'), cmd.fail('a', 'user', 1, 10)];
    givenCommands(...history)
      .when(cmd.restart('incomplete', 100, { params: { day: 'd2' } }))
      .then(
        restarted('incomplete', ['a'], { params: { day: 'd2', env: 'prod' } }),
        ev.ready('a', 2, { day: 'd2', env: 'prod' }),
      );
    givenCommands(...history)
      .when(cmd.restart('incomplete', 100, { params: { day: 5 } }))
      .thenRejected('InvalidParams');
    givenCommands(...history)
      .when(cmd.restart('incomplete', 100, { params: { nope: 1 } }))
      .thenRejected('InvalidParams');
  });

  it('sets a new run deadline from the restart', () => {
    const outcome = givenCommands(...failedAtB(chain({ timeoutMs: 60_000 }))).when(
      cmd.restart('incomplete', 1_000),
    );
    expect(outcome.events[0]).toMatchObject({ type: 'RunRestarted', timeoutAt: T0 + 61_000 });
    expect(outcome.after).toMatchObject({
      timers: { run_timeout: { kind: 'run_timeout', fireAt: T0 + 61_000 } },
    });
  });

  it('restarts a killed run: cancelled steps run again with their next attempt', () => {
    givenCommands(cmd.start(chain()), cmd.started('a'), cmd.cancel('oops', 10))
      .when(cmd.restart('incomplete', 100))
      .then(restarted('incomplete', ['a', 'b', 'c']), ev.ready('a', 2));
  });

  it('restarts a run again: each restart is the next run attempt', () => {
    const outcome = givenCommands(
      ...failedAtB(),
      cmd.restart('incomplete', 100),
      cmd.started('b', 2, 110),
      cmd.fail('b', 'user', 2, 120),
    ).when(cmd.restart('incomplete', 200));
    expect(outcome.events).toMatchObject([
      { type: 'RunRestarted', runAttempt: 3, resetSteps: ['b', 'c'] },
      { type: 'StepReady', stepId: 'b', attempt: 3, params: { v: 7, ra: 3 } },
    ]);
  });

  it('replays a history with restarts to the live state', () => {
    const commands: RunCommand[] = [
      ...failedAtB(),
      cmd.restart('incomplete', 100),
      cmd.started('b', 2, 110),
      cmd.complete('b', 2, 120),
      cmd.started('c', 1, 130),
      cmd.complete('c', 1, 140),
      cmd.restart('from_step', 200, { stepId: 'b' }),
      cmd.started('b', 3, 210),
      cmd.complete('b', 3, 220),
      cmd.started('c', 2, 230),
      cmd.complete('c', 2, 240),
    ];
    let state = initialState();
    const history: RunEvent[] = [];
    for (const command of commands) {
      const events = decide(command, state, testDeps);
      history.push(...events);
      state = events.reduce(evolve, state);
    }
    expect(state).toMatchObject({ status: 'succeeded', runAttempt: 3 });
    expect(history.filter((e) => e.type === 'CommandRejected')).toEqual([]);
    expect(replay(history)).toEqual(state);
  });
});
