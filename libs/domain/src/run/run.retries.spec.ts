import type { RetryPolicy } from '../workflow/workflow-definition';
import { retryDelayMs } from './run.attempts';
import { cmd, ev, step, T0, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  userErrorLimit: 0,
  platformErrorLimit: 0,
  timeoutLimit: 0,
  backoff: { kind: 'fixed', delayMs: 1_000 },
  ...overrides,
});

const retrying = (retry: RetryPolicy, timeoutMs?: number) =>
  workflow([step('a', { retry, ...(timeoutMs === undefined ? {} : { timeoutMs }) })]);

const failed = (kind: 'user' | 'platform', attempt: number, willRetry: boolean, message = `${kind} boom`) =>
  ({ type: 'StepFailed', stepId: 'a', attempt, errorKind: kind, message, willRetry, branches: {} }) as const;

const runFailed = (kind: string, message: string) =>
  ({
    type: 'RunFailed',
    reason: 'step_failed',
    stepId: 'a',
    message: `step a failed (${kind} error): ${message}`,
  }) as const;

describe('retries', () => {
  it('retries a user error after the fixed backoff', () => {
    givenCommands(cmd.start(retrying(policy({ userErrorLimit: 1 }))), cmd.started('a'))
      .when(cmd.fail('a', 'user', 1, 100))
      .then(failed('user', 1, true), {
        type: 'StepRetryScheduled',
        stepId: 'a',
        attempt: 2,
        delayMs: 1_000,
        fireAt: T0 + 1_100,
      });
  });

  it('makes the next attempt ready when the retry timer fires', () => {
    const spec = givenCommands(
      cmd.start(retrying(policy({ userErrorLimit: 1 }))),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 100),
    );
    spec.when(cmd.fire('retry/a/2', 'retry', 1_100)).then(ev.ready('a', 2));
    spec.when(cmd.fire('retry/a/2', 'retry', 1_099)).thenRejected('TimerNotDue');
  });

  it('resolves the params again for the new attempt', () => {
    const definition = workflow([
      step('a', {
        retry: policy({ userErrorLimit: 1 }),
        params: { attempt: { expression: 'step.attempt' } },
      }),
    ]);
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.fail('a', 'user', 1, 100))
      .when(cmd.fire('retry/a/2', 'retry', 1_100))
      .then(ev.ready('a', 2, { attempt: 2 }));
  });

  it('fails the step and the run once the user error limit is used up', () => {
    givenCommands(
      cmd.start(retrying(policy({ userErrorLimit: 1, platformErrorLimit: 5 }))),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 100),
      cmd.fire('retry/a/2', 'retry', 1_100),
      cmd.started('a', 2, 1_200),
    )
      .when(cmd.fail('a', 'user', 2, 1_300))
      .then(failed('user', 2, false), runFailed('user', 'user boom'));
  });

  it('counts platform errors against their own budget, not the user one', () => {
    const spec = givenCommands(
      cmd.start(retrying(policy({ userErrorLimit: 1, platformErrorLimit: 1 }))),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 100),
      cmd.fire('retry/a/2', 'retry', 1_100),
      cmd.started('a', 2, 1_200),
    );
    spec.when(cmd.fail('a', 'platform', 2, 1_300)).then(failed('platform', 2, true), {
      type: 'StepRetryScheduled',
      stepId: 'a',
      attempt: 3,
      delayMs: 1_000,
      fireAt: T0 + 2_300,
    });
    givenCommands(
      cmd.start(retrying(policy({ userErrorLimit: 1, platformErrorLimit: 1 }))),
      cmd.started('a'),
      cmd.fail('a', 'platform', 1, 100),
      cmd.fire('retry/a/2', 'retry', 1_100),
      cmd.started('a', 2, 1_200),
    )
      .when(cmd.fail('a', 'platform', 2, 1_300))
      .then(failed('platform', 2, false), runFailed('platform', 'platform boom'));
  });

  it('uses capped exponential backoff on the attempt number', () => {
    const exponential: RetryPolicy = policy({
      userErrorLimit: 10,
      backoff: { kind: 'exponential', initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 5_000 },
    });
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(exponential, attempt))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
    givenCommands(
      cmd.start(retrying(exponential)),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 0),
      cmd.fire('retry/a/2', 'retry', 1_000),
      cmd.started('a', 2, 1_000),
      cmd.fail('a', 'user', 2, 1_000),
      cmd.fire('retry/a/3', 'retry', 3_000),
      cmd.started('a', 3, 3_000),
    )
      .when(cmd.fail('a', 'user', 3, 3_000))
      .then(failed('user', 3, true), {
        type: 'StepRetryScheduled',
        stepId: 'a',
        attempt: 4,
        delayMs: 4_000,
        fireAt: T0 + 7_000,
      });
  });

  it('times an attempt out from its start and retries it within the timeout budget', () => {
    const spec = givenCommands(
      cmd.start(retrying(policy({ timeoutLimit: 1 }), 10_000)),
      cmd.started('a', 1, 5),
    );
    expect(spec.when(cmd.heartbeat('a', 1, 6)).after).toMatchObject({
      timers: { 'step_timeout/a/1': { fireAt: T0 + 10_005, kind: 'step_timeout' } },
    });
    spec.when(cmd.fire('step_timeout/a/1', 'step_timeout', 10_004)).thenRejected('TimerNotDue');
    spec
      .when(cmd.fire('step_timeout/a/1', 'step_timeout', 10_005))
      .then(
        { type: 'StepTimedOut', stepId: 'a', attempt: 1, willRetry: true, branches: {} },
        { type: 'StepRetryScheduled', stepId: 'a', attempt: 2, delayMs: 1_000, fireAt: T0 + 11_005 },
      );
  });

  it('fails the run when the timeout budget is used up', () => {
    givenCommands(cmd.start(retrying(policy({}), 10_000)), cmd.started('a'))
      .when(cmd.fire('step_timeout/a/1', 'step_timeout', 10_000))
      .then(
        { type: 'StepTimedOut', stepId: 'a', attempt: 1, willRetry: false, branches: {} },
        runFailed('timeout', 'step timed out'),
      );
  });

  it('refuses the late report of a timed-out attempt', () => {
    givenCommands(
      cmd.start(retrying(policy({ timeoutLimit: 1 }), 10_000)),
      cmd.started('a'),
      cmd.fire('step_timeout/a/1', 'step_timeout', 10_000),
    )
      .when(cmd.complete('a', 1, 10_001))
      .thenRejected('StepNotRunning');
  });
});

describe('leases and heartbeats', () => {
  const leased = (platformErrorLimit: number) => retrying(policy({ platformErrorLimit }));

  it('indexes a lease timer when the step starts', () => {
    const outcome = givenCommands(cmd.start(leased(1))).when(cmd.started('a', 1, 10));
    outcome.then(ev.started('a', 1, 10));
    expect(outcome.after).toMatchObject({
      timers: {
        'lease/a/1': { id: 'lease/a/1', kind: 'lease', fireAt: T0 + 30_010, stepId: 'a', attempt: 1 },
      },
      steps: { a: { status: 'running', executorId: 'executor-1', leaseExpiresAt: T0 + 30_010 } },
    });
  });

  it('treats an expired lease as a platform error and retries', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.fire('lease/a/1', 'lease', 30_000))
      .then(failed('platform', 1, true, 'lease of executor executor-1 expired without a heartbeat'), {
        type: 'StepRetryScheduled',
        stepId: 'a',
        attempt: 2,
        delayMs: 1_000,
        fireAt: T0 + 31_000,
      });
  });

  it('records no event for a heartbeat while more than half the lease is left', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.heartbeat('a', 1, 10_000))
      .then();
  });

  it('extends the lease when less than half is left, moving the lease timer', () => {
    const outcome = givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.heartbeat('a', 1, 20_000))
      .then({ type: 'StepLeaseExtended', stepId: 'a', attempt: 1, leaseExpiresAt: T0 + 50_000 });
    expect(outcome.after).toMatchObject({ timers: { 'lease/a/1': { fireAt: T0 + 50_000 } } });
  });

  it('still extends a lease whose deadline passed if its timer has not fired yet (log order decides)', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.heartbeat('a', 1, 30_500))
      .then({ type: 'StepLeaseExtended', stepId: 'a', attempt: 1, leaseExpiresAt: T0 + 60_500 });
  });

  it('refuses the old lease fire after a heartbeat extended the lease', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'), cmd.heartbeat('a', 1, 20_000))
      .when(cmd.fire('lease/a/1', 'lease', 30_000))
      .thenRejected('TimerNotDue');
  });

  it('refuses a heartbeat from an executor that does not hold the lease', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.heartbeat('a', 1, 20_000, 'executor-2'))
      .thenRejected('NotLeaseHolder');
  });

  it('refuses a second start of the same attempt and a non-positive lease', () => {
    givenCommands(cmd.start(leased(1)), cmd.started('a'))
      .when(cmd.started('a', 1, 5))
      .thenRejected('StepNotReady');
    givenCommands(cmd.start(leased(1)))
      .when(cmd.started('a', 1, 0, 'executor-1', 0))
      .thenRejected('InvalidLease');
  });

  it('refuses the report of the lost executor once the step is retried', () => {
    givenCommands(
      cmd.start(leased(1)),
      cmd.started('a'),
      cmd.fire('lease/a/1', 'lease', 30_000),
      cmd.fire('retry/a/2', 'retry', 31_000),
    )
      .when(cmd.complete('a', 1, 31_500))
      .thenRejected('StaleAttempt');
  });
});

describe("an executor's promise that the log tail was written", () => {
  it('is carried by the event of the attempt it reported, and only when made', () => {
    const start = cmd.start(retrying(policy({ userErrorLimit: 1 })));
    givenCommands(start, cmd.started('a'))
      .when({ ...cmd.fail('a', 'user', 1, 100), logsWritten: true })
      .then(
        { ...failed('user', 1, true), logsWritten: true },
        { type: 'StepRetryScheduled', stepId: 'a', attempt: 2, delayMs: 1_000, fireAt: T0 + 1_100 },
      );
    givenCommands(start, cmd.started('a'))
      .when({ ...cmd.complete('a', 1, 100), logsWritten: true })
      .then(
        { type: 'StepSucceeded', stepId: 'a', attempt: 1, outputs: {}, branches: {}, logsWritten: true },
        { type: 'RunSucceeded' },
      );
    givenCommands(start, cmd.started('a'))
      .when({ ...cmd.complete('a', 1, 100), logsWritten: false })
      .then(
        { type: 'StepSucceeded', stepId: 'a', attempt: 1, outputs: {}, branches: {} },
        { type: 'RunSucceeded' },
      );
  });
});
