import { dueTimers, nextDeadline } from './run.timers';
import { initialState } from './run.state';
import { cmd, ev, step, T0, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

describe('run timeout', () => {
  it('fails the run and cancels what is active when the run deadline passes', () => {
    const definition = workflow([step('a'), step('b')], [], { timeoutMs: 60_000 });
    givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.fire('run_timeout', 'run_timeout', 60_000))
      .then(
        { type: 'StepCancelled', stepId: 'a', attempt: 1, reason: 'run_timed_out' },
        { type: 'StepCancelled', stepId: 'b', attempt: 1, reason: 'run_timed_out' },
        {
          type: 'RunFailed',
          reason: 'run_timed_out',
          stepId: null,
          message: 'run exceeded its timeout of 60000 ms',
        },
      );
  });

  it('refuses an early run timeout fire and clears every timer when the run ends', () => {
    const definition = workflow([step('a')], [], { timeoutMs: 60_000 });
    const spec = givenCommands(cmd.start(definition), cmd.started('a'));
    spec.when(cmd.fire('run_timeout', 'run_timeout', 59_999)).thenRejected('TimerNotDue');
    const done = spec.when(cmd.complete('a', 1, 100));
    expect(done.after).toMatchObject({ status: 'succeeded', timers: {} });
  });
});

describe('sleep steps', () => {
  const sleepy = workflow([step('nap', { durationMs: 5_000, outputs: { waited: 'step.attempt' } }, 'sleep')]);

  it('goes onto an engine timer instead of an executor pool', () => {
    const outcome = givenCommands().when(cmd.start(sleepy, {}, 10));
    expect(outcome.events[1]).toEqual(
      expect.objectContaining({
        type: 'StepReady',
        stepId: 'nap',
        dispatch: { kind: 'timer', wakeAt: T0 + 5_010 },
      }),
    );
    expect(outcome.after).toMatchObject({ steps: { nap: { status: 'sleeping' } } });
    expect(dueTimers(outcome.after, T0 + 5_009)).toEqual([]);
    expect(dueTimers(outcome.after, T0 + 5_010)).toEqual([
      { id: 'sleep/nap/1', kind: 'sleep', fireAt: T0 + 5_010, stepId: 'nap', attempt: 1 },
    ]);
  });

  it('succeeds when its timer fires, with outputs evaluated', () => {
    givenCommands(cmd.start(sleepy, {}, 10))
      .when(cmd.fire('sleep/nap/1', 'sleep', 5_010))
      .then(ev.succeeded('nap', 1, { waited: 1 }), { type: 'RunSucceeded' });
  });

  it('refuses executor reports about a sleeping step', () => {
    givenCommands(cmd.start(sleepy)).when(cmd.started('nap')).thenRejected('StepNotReady');
  });
});

describe('timers index', () => {
  it('reports the earliest deadline and the due timers in order', () => {
    const definition = workflow([step('a', { timeoutMs: 10_000 }), step('b')], [], { timeoutMs: 60_000 });
    const outcome = givenCommands(cmd.start(definition), cmd.started('a', 1, 0)).when(cmd.started('b', 1, 1));
    outcome.then(ev.started('b', 1, 1));
    expect(nextDeadline(outcome.after)).toBe(T0 + 10_000);
    expect(dueTimers(outcome.after, T0 + 30_000).map((t) => t.id)).toEqual(['step_timeout/a/1', 'lease/a/1']);
    expect(dueTimers(outcome.after, T0 + 30_001).map((t) => t.id)).toEqual([
      'step_timeout/a/1',
      'lease/a/1',
      'lease/b/1',
    ]);
    expect(nextDeadline(initialState())).toBeNull();
  });

  it('drops a step’s timers when the attempt ends, so their fires are refused', () => {
    const definition = workflow([step('a', { timeoutMs: 10_000 }), step('b')]);
    const spec = givenCommands(
      cmd.start(definition),
      cmd.started('a'),
      cmd.started('b'),
      cmd.complete('a', 1, 5),
    );
    spec.when(cmd.fire('lease/a/1', 'lease', 30_000)).thenRejected('UnknownTimer');
    spec.when(cmd.fire('step_timeout/a/1', 'step_timeout', 30_000)).thenRejected('UnknownTimer');
    spec.when(cmd.fire('lease/b/1', 'retry', 30_000)).thenRejected('UnknownTimer');
  });
});
