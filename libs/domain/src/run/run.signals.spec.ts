import type { RetryPolicy } from '../workflow/workflow-definition';
import { dueTimers } from './run.timers';
import { cmd, edge, ev, NO_RETRY, signalStep, step, T0, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

const table = { name: 'table', type: 'string' as const, required: false, default: 'sales' };

/** `wait` waits for `table.loaded` of the run's table, `load` reads the signal; `side` runs meanwhile. */
const waiting = (overrides: Parameters<typeof signalStep>[3] = {}) =>
  workflow(
    [
      signalStep(
        'wait',
        'table.loaded',
        { table: { expression: 'params.table' }, env: { literal: 'prod' } },
        { outputs: { day: 'result.params.day', id: 'result.signal_id' }, ...overrides },
      ),
      step('load', { params: { day: { expression: 'steps.wait.outputs.day' } } }),
      step('side'),
    ],
    [edge('wait', 'load')],
    { params: [table] },
  );

const match = { table: 'sales', env: 'prod' };
const timeoutRetry: RetryPolicy = { ...NO_RETRY, timeoutLimit: 1 };

describe('wait_for_signal steps', () => {
  it('wait for the signal with their match evaluated, taking no executor', () => {
    const definition = waiting();
    const outcome = givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition, { table: 'sales' }),
        {
          type: 'StepReady',
          stepId: 'wait',
          attempt: 1,
          params: {},
          settings: { match },
          dispatch: { kind: 'signal', signal: 'table.loaded', match },
        },
        ev.ready('side'),
      );
    expect(outcome.after).toMatchObject({ steps: { wait: { status: 'waiting', loop: null } } });
    expect(outcome.after).toHaveProperty('timers', {});
  });

  it('succeed when the signal is delivered, with { signal_id, params } as the result', () => {
    givenCommands(cmd.start(waiting()))
      .when(cmd.signal('wait', 1, 10, { table: 'sales', day: '2024-05-01' }, 'sig-7'))
      .then(
        ev.succeeded('wait', 1, { day: '2024-05-01', id: 'sig-7' }),
        ev.ready('load', 1, { day: '2024-05-01' }),
      );
  });

  it('refuse executor reports: no executor runs them', () => {
    givenCommands(cmd.start(waiting())).when(cmd.started('wait')).thenRejected('StepNotReady');
  });

  it('refuse a delivery to a step that is not waiting, to another attempt, or to a step of another kind', () => {
    const spec = givenCommands(cmd.start(waiting()), cmd.signal('wait', 1, 10, { day: 'd' }));
    spec.when(cmd.signal('wait', 1, 20, { day: 'd' })).thenRejected('StepNotWaiting');
    givenCommands(cmd.start(waiting()))
      .when(cmd.signal('wait', 2, 10))
      .thenRejected('StaleAttempt');
    givenCommands(cmd.start(waiting()))
      .when(cmd.signal('side', 1, 10))
      .thenRejected('UnknownStep');
    givenCommands(cmd.start(waiting()))
      .when(cmd.signal('ghost', 1, 10))
      .thenRejected('UnknownStep');
  });

  it('time out from the moment they start waiting', () => {
    const spec = givenCommands(cmd.start(waiting({ timeoutMs: 60_000 }), {}, 5));
    expect(dueTimers(spec.when(cmd.signal('ghost', 1, 6)).after, T0 + 60_005)).toEqual([
      { id: 'step_timeout/wait/1', kind: 'step_timeout', fireAt: T0 + 60_005, stepId: 'wait', attempt: 1 },
    ]);
    spec.when(cmd.fire('step_timeout/wait/1', 'step_timeout', 60_004)).thenRejected('TimerNotDue');
    spec
      .when(cmd.fire('step_timeout/wait/1', 'step_timeout', 60_005))
      .then(
        { type: 'StepTimedOut', stepId: 'wait', attempt: 1, willRetry: false, branches: {} },
        { type: 'StepCancelled', stepId: 'side', attempt: 1, reason: 'run_failed' },
        ev.runFailed('wait', 'step timed out', 'timeout'),
      );
  });

  it('wait again after a timeout retry, and refuse the signal for the timed-out attempt', () => {
    const retried = givenCommands(
      cmd.start(waiting({ timeoutMs: 60_000, retry: timeoutRetry })),
      cmd.fire('step_timeout/wait/1', 'step_timeout', 60_000),
    );
    retried.when(cmd.signal('wait', 1, 60_001)).thenRejected('StepNotWaiting');
    const outcome = retried.when(cmd.fire('retry/wait/2', 'retry', 61_000));
    outcome.then({
      type: 'StepReady',
      stepId: 'wait',
      attempt: 2,
      params: {},
      settings: { match },
      dispatch: { kind: 'signal', signal: 'table.loaded', match },
    });
    expect(outcome.after).toMatchObject({
      timers: { 'step_timeout/wait/2': { fireAt: T0 + 121_000 } },
    });
    givenCommands(
      cmd.start(waiting({ timeoutMs: 60_000, retry: timeoutRetry })),
      cmd.fire('step_timeout/wait/1', 'step_timeout', 60_000),
      cmd.fire('retry/wait/2', 'retry', 61_000),
    )
      .when(cmd.signal('wait', 1, 61_001))
      .thenRejected('StaleAttempt');
  });

  it('fail the attempt as a user error when the outputs cannot be read from the signal', () => {
    givenCommands(cmd.start(waiting()))
      .when(cmd.signal('wait', 1, 10, { other: 1 }))
      .then(
        ev.failed('wait', 1, 'steps.wait.outputs.day: field not found: day (in result.params.day)'),
        { type: 'StepCancelled', stepId: 'side', attempt: 1, reason: 'run_failed' },
        ev.runFailed('wait', 'steps.wait.outputs.day: field not found: day (in result.params.day)'),
      );
  });

  it('drop their timeout timer once the signal arrived', () => {
    const outcome = givenCommands(cmd.start(waiting({ timeoutMs: 60_000 }))).when(
      cmd.signal('wait', 1, 10, { day: 'd' }),
    );
    expect(outcome.after).toMatchObject({ status: 'running' });
    expect(outcome.after).toHaveProperty('timers', {});
  });
});
