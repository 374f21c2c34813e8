import type { RunCommand } from './run.commands';
import { decide } from './run.decide';
import type { RunEvent } from './run.events';
import { evolve } from './run.evolve';
import { replay } from './run.replay';
import { initialState } from './run.state';
import {
  cmd,
  edge,
  ev,
  foreachStep,
  NO_RETRY,
  progressOf,
  signalStep,
  step,
  whileStep,
  workflow,
} from './testing/fixtures';
import { givenCommands, testDeps } from './testing/given-when-then';

/** A `SkipStep` with the fixture's default reason, on a step with no conditional edges out. */
const userSkipped = (stepId: string) =>
  ({ type: 'StepSkipped', stepId, reason: 'skipped_by_user', message: 'not needed', branches: {} }) as const;

const stopped = {
  type: 'RunCancelled',
  reason: 'stopped: active steps finished, nothing new started',
} as const;

describe('StopRun (graceful)', () => {
  /** a -> b, and c on its own. */
  const definition = workflow([step('a'), step('b'), step('c')], [edge('a', 'b')]);

  it('records the stop and waits for the active steps', () => {
    const outcome = givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.stop('maintenance', 10))
      .then({ type: 'RunStopping', reason: 'maintenance' });
    expect(outcome.after).toMatchObject({ status: 'running', stopping: true });
  });

  it('accepts the active steps’ reports but makes nothing new ready', () => {
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.stop('maintenance', 10))
      .when(cmd.complete('a', 1, 20))
      .then(ev.succeeded('a'));
  });

  it('ends the run as cancelled once no step is active, leaving the rest pending', () => {
    const outcome = givenCommands(
      cmd.start(definition),
      cmd.started('a'),
      cmd.stop('maintenance', 10),
      cmd.complete('a', 1, 20),
      cmd.started('c', 1, 30),
    )
      .when(cmd.complete('c', 1, 40))
      .then(ev.succeeded('c'), stopped);
    expect(outcome.after).toMatchObject({
      status: 'cancelled',
      steps: { a: { status: 'succeeded' }, b: { status: 'pending' }, c: { status: 'succeeded' } },
    });
    expect(outcome.after).toHaveProperty('timers', {});
  });

  it('still fails the run when an active step fails for good while stopping', () => {
    const chain = workflow([step('a'), step('b')], [edge('a', 'b')]);
    givenCommands(cmd.start(chain), cmd.started('a'), cmd.stop('later', 10))
      .when(cmd.fail('a', 'user', 1, 20))
      .then(ev.failed('a', 1, 'user boom'), ev.runFailed('a', 'user boom'));
  });

  it('refuses a second stop, and a stop of a run that ended', () => {
    givenCommands(cmd.start(definition), cmd.stop('once', 10))
      .when(cmd.stop('twice', 20))
      .thenRejected('RunAlreadyStopping');
    givenCommands(cmd.start(definition), cmd.cancel('kill', 10))
      .when(cmd.stop('too late', 20))
      .thenRejected('RunNotRunning');
  });

  it('can still be turned into a kill', () => {
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.stop('gently', 10))
      .when(cmd.cancel('now', 20))
      .then(
        { type: 'StepCancelled', stepId: 'a', attempt: 1, reason: 'run_cancelled' },
        { type: 'StepCancelled', stepId: 'c', attempt: 1, reason: 'run_cancelled' },
        { type: 'RunCancelled', reason: 'now' },
      );
  });

  it('cancels a step paused at a breakpoint: it has not started, and would keep the run open', () => {
    const paused = workflow([step('a'), step('b')]);
    givenCommands(cmd.startWith(paused, { breakpoints: ['b'] }), cmd.started('a'))
      .when(cmd.stop('maintenance', 10))
      .then(
        { type: 'RunStopping', reason: 'maintenance' },
        { type: 'StepCancelled', stepId: 'b', attempt: 0, reason: 'run_cancelled' },
      );
    givenCommands(cmd.startWith(paused, { breakpoints: ['a', 'b'] }))
      .when(cmd.stop('maintenance', 10))
      .then(
        { type: 'RunStopping', reason: 'maintenance' },
        { type: 'StepCancelled', stepId: 'a', attempt: 0, reason: 'run_cancelled' },
        { type: 'StepCancelled', stepId: 'b', attempt: 0, reason: 'run_cancelled' },
        stopped,
      );
  });

  it('starts no new foreach iteration: the running ones finish, then the step is cancelled', () => {
    const loop = workflow([foreachStep('each', { x: { literal: [1, 2, 3] } }, { concurrency: 2 })]);
    const spec = givenCommands(cmd.start(loop), cmd.stop('maintenance', 10));
    spec
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 20))
      .then(ev.childEnded('each', 1, 0, progressOf({ total: 3, started: 2, running: 1, succeeded: 1 })));
    givenCommands(
      cmd.start(loop),
      cmd.stop('maintenance', 10),
      cmd.childFinished('each', 1, 0, 'succeeded', 20),
    )
      .when(cmd.childFinished('each', 1, 1, 'succeeded', 30))
      .then(
        ev.childEnded('each', 1, 1, progressOf({ total: 3, started: 2, succeeded: 2 })),
        { type: 'StepCancelled', stepId: 'each', attempt: 1, reason: 'run_cancelled' },
        stopped,
      );
  });

  it('lets a foreach whose iterations all started finish as usual', () => {
    const loop = workflow([foreachStep('each', { x: { literal: [1] } })]);
    givenCommands(cmd.start(loop), cmd.stop('maintenance', 10))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 20))
      .then(
        ev.childEnded('each', 1, 0, progressOf({ total: 1, started: 1, succeeded: 1 })),
        ev.succeeded('each'),
        stopped,
      );
  });

  it('starts no new while iteration: the step is cancelled when its iteration ends', () => {
    const loop = workflow([whileStep('loop', 'true')]);
    givenCommands(cmd.start(loop), cmd.stop('maintenance', 10))
      .when(cmd.childFinished('loop', 1, 0, 'succeeded', 20))
      .then(
        ev.childEnded('loop', 1, 0, progressOf({ started: 1, succeeded: 1 })),
        { type: 'StepCancelled', stepId: 'loop', attempt: 1, reason: 'run_cancelled' },
        stopped,
      );
  });
});

describe('SkipStep', () => {
  /** a -> b; b -> c only if b was skipped, b -> d only if it succeeded; e after d. */
  const definition = workflow(
    [step('a'), step('b', { outputs: { v: 'result.v' } }), step('c'), step('d'), step('e')],
    [
      edge('a', 'b'),
      edge('b', 'c', "steps.b.status == 'SKIPPED'"),
      edge('b', 'd', "steps.b.status == 'SUCCEEDED'"),
      edge('d', 'e'),
    ],
  );

  it('skips a pending step: its successors run, conditions see it SKIPPED', () => {
    const outcome = givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.skip('b', 10, 'data already loaded'))
      .then(
        {
          type: 'StepSkipped',
          stepId: 'b',
          reason: 'skipped_by_user',
          message: 'data already loaded',
          branches: { c: true, d: false },
        },
        ev.ready('c'),
        ev.skipped('d', 'condition_false'),
        ev.skipped('e', 'branch_not_taken'),
      );
    expect(outcome.after).toMatchObject({ steps: { b: { status: 'skipped' } } });
    expect(outcome.after).toHaveProperty('steps.b.outputs', {});
  });

  it('takes unconditional edges out of a skipped step', () => {
    const chain = workflow([step('a'), step('b')], [edge('a', 'b')]);
    givenCommands(cmd.start(chain)).when(cmd.skip('a', 10)).then(userSkipped('a'), ev.ready('b'));
  });

  it('leaves a skipped step skipped when its predecessor finishes later', () => {
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.skip('b', 10), cmd.started('c', 1, 20))
      .when(cmd.complete('a', 1, 30))
      .then(ev.succeeded('a'));
  });

  it('skips a running step: the attempt’s lease and reports no longer count', () => {
    const chain = workflow([step('a', { timeoutMs: 5_000 }), step('b')], [edge('a', 'b')]);
    const outcome = givenCommands(cmd.start(chain), cmd.started('a'))
      .when(cmd.skip('a', 10))
      .then(userSkipped('a'), ev.ready('b'));
    expect(outcome.after).toMatchObject({ steps: { a: { executorId: null, leaseExpiresAt: null } } });
    expect(outcome.after).toHaveProperty('timers', {});
    givenCommands(cmd.start(chain), cmd.started('a'), cmd.skip('a', 10))
      .when(cmd.complete('a', 1, 20))
      .thenRejected('StepNotRunning');
  });

  it('skips a waiting foreach: its children’s reports are refused', () => {
    const loop = workflow(
      [foreachStep('each', { x: { literal: [1, 2] } }), step('after')],
      [edge('each', 'after')],
    );
    givenCommands(cmd.start(loop)).when(cmd.skip('each', 10)).then(userSkipped('each'), ev.ready('after'));
    givenCommands(cmd.start(loop), cmd.skip('each', 10))
      .when(cmd.childFinished('each', 1, 0, 'succeeded', 20))
      .thenRejected('StepNotWaiting');
  });

  it('skips a retry-waiting step: its retry timer is gone', () => {
    const retrying = workflow([
      signalStep('wait', 'go'),
      step('r', { retry: { ...NO_RETRY, userErrorLimit: 1 } }),
    ]);
    const failedOnce = [cmd.start(retrying), cmd.started('r'), cmd.fail('r', 'user', 1, 5)];
    givenCommands(...failedOnce)
      .when(cmd.skip('r', 10))
      .then(userSkipped('r'));
    givenCommands(...failedOnce, cmd.skip('r', 10))
      .when(cmd.fire('retry/r/2', 'retry', 1_005))
      .thenRejected('UnknownTimer');
  });

  it('skips a step waiting for a signal; the run ends once nothing else is left', () => {
    const waiting = workflow([signalStep('wait', 'go'), step('b')]);
    givenCommands(cmd.start(waiting)).when(cmd.skip('wait', 10)).then(userSkipped('wait'));
    givenCommands(cmd.start(waiting), cmd.started('b'), cmd.complete('b', 1, 5))
      .when(cmd.skip('wait', 10))
      .then(userSkipped('wait'), { type: 'RunSucceeded' });
    givenCommands(cmd.start(waiting), cmd.skip('wait', 10))
      .when(cmd.signal('wait', 1, 20))
      .thenRejected('StepNotWaiting');
  });

  it('refuses to skip a finished step or an unknown one', () => {
    const chain = workflow([step('a'), step('b')], [edge('a', 'b')]);
    givenCommands(cmd.start(chain), cmd.started('a'), cmd.complete('a', 1, 5))
      .when(cmd.skip('a', 10))
      .thenRejected('StepNotSkippable');
    givenCommands(cmd.start(chain), cmd.skip('a', 5))
      .when(cmd.skip('a', 10))
      .thenRejected('StepNotSkippable');
    givenCommands(cmd.start(chain)).when(cmd.skip('ghost', 10)).thenRejected('UnknownStep');
  });

  it('fails the run when a condition out of the skipped step cannot be evaluated', () => {
    const broken = workflow([step('a'), step('b')], [edge('a', 'b', 'steps.a.outputs.missing > 1')]);
    givenCommands(cmd.start(broken)).when(cmd.skip('a', 10)).then(userSkipped('a'), {
      type: 'RunFailed',
      reason: 'expression_error',
      stepId: 'a',
      message: 'edge a -> b: field not found: missing (in steps.a.outputs.missing)',
    });
  });
});

describe('breakpoints and ResumeStep', () => {
  const chain = workflow(
    [step('a'), step('b', { params: { n: { expression: 'step.attempt' } } })],
    [edge('a', 'b')],
  );

  it('records the breakpoints on RunStarted', () => {
    givenCommands()
      .when(cmd.startWith(chain, { breakpoints: ['b'] }))
      .then({ ...ev.runStarted(chain), breakpoints: ['b'] }, ev.ready('a'));
  });

  it('pauses a step where it would become ready', () => {
    const outcome = givenCommands(cmd.startWith(chain, { breakpoints: ['b'] }), cmd.started('a'))
      .when(cmd.complete('a', 1, 10))
      .then(ev.succeeded('a'), { type: 'StepPaused', stepId: 'b' });
    expect(outcome.after).toMatchObject({
      status: 'running',
      steps: { b: { status: 'paused', attempt: 0 } },
    });
  });

  it('pauses a root step at start; the paused step keeps the run open', () => {
    const outcome = givenCommands()
      .when(cmd.startWith(workflow([step('a')]), { breakpoints: ['a'] }))
      .then(
        { ...ev.runStarted(workflow([step('a')])), breakpoints: ['a'] },
        { type: 'StepPaused', stepId: 'a' },
      );
    expect(outcome.after).toMatchObject({ status: 'running', counts: { paused: 1 } });
  });

  it('makes a resumed step ready with attempt 1', () => {
    givenCommands(cmd.startWith(chain, { breakpoints: ['b'] }), cmd.started('a'), cmd.complete('a', 1, 10))
      .when(cmd.resume('b', 20))
      .then(ev.ready('b', 1, { n: 1 }));
  });

  it('refuses to resume a step that is not paused', () => {
    givenCommands(cmd.startWith(chain, { breakpoints: ['b'] }))
      .when(cmd.resume('b', 10))
      .thenRejected('StepNotPaused');
    givenCommands(cmd.startWith(chain, { breakpoints: ['b'] }))
      .when(cmd.resume('a', 10))
      .thenRejected('StepNotPaused');
    givenCommands(cmd.start(chain)).when(cmd.resume('ghost', 10)).thenRejected('UnknownStep');
  });

  it('does not pause a retry: the breakpoint is before the step, not each attempt', () => {
    const retrying = workflow([step('a', { retry: { ...NO_RETRY, userErrorLimit: 1 } })]);
    givenCommands(
      cmd.startWith(retrying, { breakpoints: ['a'] }),
      cmd.resume('a', 5),
      cmd.started('a', 1, 6),
      cmd.fail('a', 'user', 1, 10),
    )
      .when(cmd.fire('retry/a/2', 'retry', 1_010))
      .then(ev.ready('a', 2));
  });

  it('lets a paused step be skipped or cancelled', () => {
    const spec = givenCommands(
      cmd.startWith(chain, { breakpoints: ['b'] }),
      cmd.started('a'),
      cmd.complete('a', 1, 10),
    );
    spec.when(cmd.skip('b', 20)).then(userSkipped('b'), { type: 'RunSucceeded' });
    spec
      .when(cmd.cancel('no', 20))
      .then(
        { type: 'StepCancelled', stepId: 'b', attempt: 0, reason: 'run_cancelled' },
        { type: 'RunCancelled', reason: 'no' },
      );
  });

  it('pauses again at the breakpoint after a restart', () => {
    givenCommands(
      cmd.startWith(chain, { breakpoints: ['b'] }),
      cmd.started('a'),
      cmd.complete('a', 1, 10),
      cmd.resume('b', 20),
      cmd.started('b', 1, 30),
      cmd.fail('b', 'user', 1, 40),
    )
      .when(cmd.restart('incomplete', 100))
      .then(
        {
          type: 'RunRestarted',
          runAttempt: 2,
          mode: 'incomplete',
          fromStepId: null,
          params: {},
          resetSteps: ['b'],
          timeoutAt: null,
        },
        { type: 'StepPaused', stepId: 'b' },
      );
  });

  it('replays a history of pauses, resumes, skips and a stop to the live state', () => {
    const commands: RunCommand[] = [
      cmd.startWith(workflow([step('a'), step('b'), step('c')], [edge('a', 'b')]), {
        breakpoints: ['a', 'c'],
      }),
      cmd.resume('a', 10),
      cmd.skip('c', 20),
      cmd.started('a', 1, 30),
      cmd.stop('enough', 40),
      cmd.complete('a', 1, 50),
    ];
    let state = initialState();
    const history: RunEvent[] = [];
    for (const command of commands) {
      const events = decide(command, state, testDeps);
      history.push(...events);
      state = events.reduce(evolve, state);
    }
    expect(state).toMatchObject({ status: 'cancelled', steps: { b: { status: 'pending' } } });
    expect(replay(history)).toEqual(state);
  });
});
