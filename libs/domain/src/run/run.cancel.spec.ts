import { cmd, edge, step, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

const definition = workflow(
  [
    step('a'),
    step('b'),
    step('c', {
      retry: {
        userErrorLimit: 1,
        platformErrorLimit: 0,
        timeoutLimit: 0,
        backoff: { kind: 'fixed', delayMs: 1_000 },
      },
    }),
    step('d'),
  ],
  [edge('a', 'd')],
);

describe('CancelRun', () => {
  it('cancels running, ready and retry-waiting steps and ends the run', () => {
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.started('c'), cmd.fail('c', 'user', 1, 5))
      .when(cmd.cancel('no longer needed', 10))
      .then(
        { type: 'StepCancelled', stepId: 'a', attempt: 1, reason: 'run_cancelled' },
        { type: 'StepCancelled', stepId: 'b', attempt: 1, reason: 'run_cancelled' },
        { type: 'StepCancelled', stepId: 'c', attempt: 1, reason: 'run_cancelled' },
        { type: 'RunCancelled', reason: 'no longer needed' },
      );
  });

  it('stops scheduling: nothing becomes ready and late reports are refused', () => {
    const spec = givenCommands(cmd.start(definition), cmd.started('a'), cmd.cancel('stop', 10));
    spec.when(cmd.complete('a', 1, 20)).thenRejected('RunNotRunning');
    spec.when(cmd.fire('retry/c/2', 'retry', 5_000)).thenRejected('RunNotRunning');
    expect(spec.when(cmd.heartbeat('a', 1, 20)).after).toMatchObject({ status: 'cancelled', timers: {} });
  });

  it('refuses a second cancel harmlessly', () => {
    givenCommands(cmd.start(definition), cmd.cancel('stop', 10))
      .when(cmd.cancel('again', 20))
      .thenRejected('RunNotRunning');
  });

  it('refuses to cancel a run that does not exist', () => {
    givenCommands().when(cmd.cancel()).thenRejected('RunNotFound');
  });
});
