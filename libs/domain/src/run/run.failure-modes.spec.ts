import type { FailureMode } from '../workflow/workflow-definition';
import { cmd, edge, ev, step, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

/** a -> b, and an independent branch c -> d. */
const twoBranches = (mode: FailureMode) =>
  workflow(
    [step('a', { failureMode: mode }), step('b'), step('c'), step('d')],
    [edge('a', 'b'), edge('c', 'd')],
  );

const aFailed = {
  type: 'StepFailed',
  stepId: 'a',
  attempt: 1,
  errorKind: 'user',
  message: 'user boom',
  willRetry: false,
} as const;

describe('failure modes', () => {
  it('fail_immediately: cancels the running steps and fails the run', () => {
    givenCommands(cmd.start(twoBranches('fail_immediately')), cmd.started('a'), cmd.started('c'))
      .when(cmd.fail('a', 'user', 1, 10))
      .then(
        { ...aFailed, branches: {} },
        { type: 'StepCancelled', stepId: 'c', attempt: 1, reason: 'run_failed' },
        {
          type: 'RunFailed',
          reason: 'step_failed',
          stepId: 'a',
          message: 'step a failed (user error): user boom',
        },
      );
  });

  it('fail_immediately: the cancelled step’s later report is refused', () => {
    givenCommands(
      cmd.start(twoBranches('fail_immediately')),
      cmd.started('a'),
      cmd.started('c'),
      cmd.fail('a', 'user', 1, 10),
    )
      .when(cmd.complete('c', 1, 20))
      .thenRejected('RunNotRunning');
  });

  it('finish_running: blocks the successors of the failed step, lets the other branch go on', () => {
    const spec = givenCommands(cmd.start(twoBranches('finish_running')), cmd.started('a'), cmd.started('c'));
    spec
      .when(cmd.fail('a', 'user', 1, 10))
      .then({ ...aFailed, branches: {} }, ev.skipped('b', 'upstream_failed'));
    givenCommands(
      cmd.start(twoBranches('finish_running')),
      cmd.started('a'),
      cmd.started('c'),
      cmd.fail('a', 'user', 1, 10),
    )
      .when(cmd.complete('c', 1, 20))
      .then(ev.succeeded('c'), ev.ready('d'));
  });

  it('finish_running: fails the run once everything still running has finished', () => {
    givenCommands(
      cmd.start(twoBranches('finish_running')),
      cmd.started('a'),
      cmd.started('c'),
      cmd.fail('a', 'user', 1, 10),
      cmd.complete('c', 1, 20),
      cmd.started('d', 1, 30),
    )
      .when(cmd.complete('d', 1, 40))
      .then(ev.succeeded('d'), {
        type: 'RunFailed',
        reason: 'step_failed',
        stepId: 'a',
        message: 'step a failed (user error); the running steps finished first',
      });
  });

  it('finish_running: a join with a failed branch is skipped as upstream_failed, and the skip propagates', () => {
    const definition = workflow(
      [step('a', { failureMode: 'finish_running' }), step('b'), step('j'), step('k')],
      [edge('a', 'j'), edge('b', 'j'), edge('j', 'k')],
    );
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.started('b'), cmd.fail('a', 'user', 1, 10))
      .when(cmd.complete('b', 1, 20))
      .then(ev.succeeded('b'), ev.skipped('j', 'upstream_failed'), ev.skipped('k', 'upstream_failed'), {
        type: 'RunFailed',
        reason: 'step_failed',
        stepId: 'a',
        message: 'step a failed (user error); the running steps finished first',
      });
  });

  it('ignore: successors run as if the step had succeeded, and the run can succeed', () => {
    const definition = workflow([step('a', { failureMode: 'ignore' }), step('b')], [edge('a', 'b')]);
    givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.fail('a', 'user', 1, 10))
      .then({ ...aFailed, branches: {} }, ev.ready('b'));
    givenCommands(
      cmd.start(definition),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 10),
      cmd.started('b', 1, 20),
    )
      .when(cmd.complete('b', 1, 30))
      .then(ev.succeeded('b'), { type: 'RunSucceeded' });
  });

  it('ignore: conditions on the outgoing edges still apply (the step shows as FAILED)', () => {
    const definition = workflow(
      [step('a', { failureMode: 'ignore' }), step('ok'), step('cleanup')],
      [edge('a', 'ok', "steps.a.status == 'SUCCEEDED'"), edge('a', 'cleanup', "steps.a.status == 'FAILED'")],
    );
    givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.fail('a', 'user', 1, 10))
      .then(
        { ...aFailed, branches: { ok: false, cleanup: true } },
        ev.skipped('ok', 'condition_false'),
        ev.ready('cleanup'),
      );
  });
});
