import fc from 'fast-check';
import type { Backoff, RetryPolicy, ShellStep } from '../workflow/workflow-definition';
import { decide } from './run.decide';
import type { RunCommand } from './run.commands';
import { evolve } from './run.evolve';
import type { RunEvent } from './run.events';
import { initialState, type RunState } from './run.state';
import { cmd, T0, workflow } from './testing/fixtures';
import { givenCommands, testDeps } from './testing/given-when-then';

/**
 * Retry per error kind (Maestro's step retry policy): each kind (user,
 * platform, timeout) has its own limit and may have its own backoff, and a
 * shell step can declare exit codes that are never retried.
 */
const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  userErrorLimit: 3,
  platformErrorLimit: 3,
  timeoutLimit: 3,
  backoff: { kind: 'fixed', delayMs: 1_000 },
  ...overrides,
});

const shell = (retry: RetryPolicy, extra: Partial<ShellStep> = {}): ShellStep => ({
  id: 'a',
  type: 'shell',
  command: ['./load.sh'],
  env: {},
  params: {},
  retry,
  failureMode: 'fail_immediately',
  outputs: {},
  pool: 'default',
  timeoutMs: 10_000,
  ...extra,
});

const failWithExit = (exitCode: number | undefined, attempt = 1, at = 0) => ({
  ...cmd.fail('a', 'user', attempt, at),
  ...(exitCode === undefined ? {} : { exitCode }),
});

/** The StepFailed of attempt 1 (a user error unless `kind` says otherwise). */
const failedEvent = (
  willRetry: boolean,
  extra: { exitCode?: number; nonRetryable?: true } = {},
  kind: 'user' | 'platform' = 'user',
) =>
  ({
    type: 'StepFailed',
    stepId: 'a',
    attempt: 1,
    errorKind: kind,
    message: `${kind} boom`,
    willRetry,
    ...extra,
    branches: {},
  }) as const;

const retried = (attempt: number, delayMs: number, at: number) =>
  ({
    type: 'StepRetryScheduled',
    stepId: 'a',
    attempt: attempt + 1,
    delayMs,
    fireAt: T0 + at + delayMs,
  }) as const;

describe('non-retryable exit codes', () => {
  const except = shell(policy(), { retryableExitCodes: { except: [3, 64] } });
  const only = shell(policy(), { retryableExitCodes: { only: [75] } });

  it('given a shell step with non_retryable_exit_codes [3, 64], when it exits 3, then it fails at once, budget or not', () => {
    givenCommands(cmd.start(workflow([except])), cmd.started('a'))
      .when(failWithExit(3))
      .then(failedEvent(false, { exitCode: 3, nonRetryable: true }), {
        type: 'RunFailed',
        reason: 'step_failed',
        stepId: 'a',
        message: 'step a failed (user error): user boom; exit code 3 is not retryable',
      });
  });

  it('when it exits with another code, then it is retried within the user error limit', () => {
    givenCommands(cmd.start(workflow([except])), cmd.started('a'))
      .when(failWithExit(1))
      .then(failedEvent(true, { exitCode: 1 }), retried(1, 1_000, 0));
  });

  it('given retryable_exit_codes [75], then only exit 75 is retried', () => {
    givenCommands(cmd.start(workflow([only])), cmd.started('a'))
      .when(failWithExit(75))
      .then(failedEvent(true, { exitCode: 75 }), retried(1, 1_000, 0));
    const final = givenCommands(cmd.start(workflow([only])), cmd.started('a')).when(failWithExit(1));
    expect(final.events[0]).toMatchObject({ type: 'StepFailed', willRetry: false, nonRetryable: true });
  });

  it('when the report has no exit code (an older executor, a killed process), then the failure is retryable', () => {
    givenCommands(cmd.start(workflow([only])), cmd.started('a'))
      .when(failWithExit(undefined))
      .then(failedEvent(true), retried(1, 1_000, 0));
  });

  it('when a platform error carries an exit code, then the exit codes do not apply to it', () => {
    const outcome = givenCommands(cmd.start(workflow([except])), cmd.started('a')).when({
      ...cmd.fail('a', 'platform'),
      exitCode: 3,
    });
    expect(outcome.events[0]).toMatchObject({ type: 'StepFailed', errorKind: 'platform', willRetry: true });
  });
});

describe('a backoff per error kind', () => {
  const perKind = policy({
    backoff: { kind: 'fixed', delayMs: 1_000 },
    backoffs: {
      platform: { kind: 'fixed', delayMs: 60_000 },
      user: { kind: 'exponential', initialDelayMs: 10_000, multiplier: 3, maxDelayMs: 1_000_000 },
    },
  });

  it('given a platform backoff, when a platform error is retried, then it waits by that backoff', () => {
    givenCommands(cmd.start(workflow([shell(perKind)])), cmd.started('a'))
      .when(cmd.fail('a', 'platform', 1, 100))
      .then(failedEvent(true, {}, 'platform'), retried(1, 60_000, 100));
  });

  it('given a kind with no backoff of its own, then it waits by the shared one', () => {
    givenCommands(cmd.start(workflow([shell(perKind)])), cmd.started('a'))
      .when(cmd.fire('step_timeout/a/1', 'step_timeout', 10_000))
      .then(
        { type: 'StepTimedOut', stepId: 'a', attempt: 1, willRetry: true, branches: {} },
        retried(1, 1_000, 10_000),
      );
  });

  it("when user and platform errors alternate, then the user backoff's exponent counts user retries only", () => {
    // attempt 1 user (retry 1: 10s), attempt 2 platform (60s), attempt 3 user (retry 2: 30s)
    const outcome = givenCommands(
      cmd.start(workflow([shell(perKind)])),
      cmd.started('a'),
      cmd.fail('a', 'user', 1, 0),
      cmd.fire('retry/a/2', 'retry', 10_000),
      cmd.started('a', 2, 10_000),
      cmd.fail('a', 'platform', 2, 10_000),
      cmd.fire('retry/a/3', 'retry', 70_000),
      cmd.started('a', 3, 70_000),
    ).when(cmd.fail('a', 'user', 3, 70_000));
    expect(outcome.events[1]).toEqual(expect.objectContaining(retried(3, 30_000, 70_000)));
  });
});

describe('property: attempts never exceed the kind limits', () => {
  type Kind = 'user' | 'platform' | 'timeout';
  const backoff: fc.Arbitrary<Backoff> = fc.oneof(
    fc.record({ kind: fc.constant('fixed' as const), delayMs: fc.integer({ min: 0, max: 5_000 }) }),
    fc.record({
      kind: fc.constant('exponential' as const),
      initialDelayMs: fc.integer({ min: 1, max: 1_000 }),
      multiplier: fc.integer({ min: 1, max: 4 }),
      maxDelayMs: fc.integer({ min: 1_000, max: 10_000 }),
    }),
  );
  const retryPolicy: fc.Arbitrary<RetryPolicy> = fc.record(
    {
      userErrorLimit: fc.integer({ min: 0, max: 4 }),
      platformErrorLimit: fc.integer({ min: 0, max: 4 }),
      timeoutLimit: fc.integer({ min: 0, max: 4 }),
      backoff,
      backoffs: fc.record({ user: backoff, platform: backoff, timeout: backoff }, { requiredKeys: [] }),
    },
    { requiredKeys: ['userErrorLimit', 'platformErrorLimit', 'timeoutLimit', 'backoff'] },
  );
  const failure = fc.record({
    kind: fc.constantFrom<Kind>('user', 'platform', 'timeout'),
    exitCode: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  });

  it('for any policy and any sequence of failures, each kind is retried at most its limit, and a non-retryable exit ends the step', () => {
    fc.assert(
      fc.property(
        retryPolicy,
        fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }), { nil: undefined }),
        fc.array(failure, { minLength: 1, maxLength: 20 }),
        (retry, nonRetryable, failures) => {
          const step = shell(
            retry,
            nonRetryable === undefined ? {} : { retryableExitCodes: { except: nonRetryable } },
          );
          let state: RunState = initialState();
          let at = 0;
          const apply = (command: RunCommand): RunEvent[] => {
            const events = decide(command, state, testDeps);
            expect(events.find((e) => e.type === 'CommandRejected')).toBeUndefined();
            state = events.reduce(evolve, state);
            return events;
          };
          apply(cmd.start(workflow([step])));
          const retries: Record<Kind, number> = { user: 0, platform: 0, timeout: 0 };
          let attempts = 0;
          for (const { kind, exitCode } of failures) {
            attempts += 1;
            apply(cmd.started('a', attempts, at));
            at += 10_000;
            const events =
              kind === 'timeout'
                ? apply(cmd.fire(`step_timeout/a/${attempts}`, 'step_timeout', at))
                : apply({
                    ...cmd.fail('a', kind, attempts, at),
                    ...(exitCode === undefined ? {} : { exitCode }),
                  });
            const ended = events.find((e) => e.type === 'StepFailed' || e.type === 'StepTimedOut');
            if (ended === undefined || !('willRetry' in ended)) throw new Error('no failure event');
            const excluded =
              kind === 'user' && exitCode !== undefined && (nonRetryable ?? []).includes(exitCode);
            const limit = {
              user: retry.userErrorLimit,
              platform: retry.platformErrorLimit,
              timeout: retry.timeoutLimit,
            }[kind];
            expect(ended.willRetry).toBe(!excluded && retries[kind] < limit);
            if (!ended.willRetry) break;
            retries[kind] += 1;
            expect(retries[kind]).toBeLessThanOrEqual(limit);
            const scheduled = events.find((e) => e.type === 'StepRetryScheduled');
            if (scheduled?.type !== 'StepRetryScheduled') throw new Error('no retry scheduled');
            expect(scheduled.delayMs).toBeGreaterThanOrEqual(0);
            at += scheduled.delayMs;
            apply(cmd.fire(`retry/a/${attempts + 1}`, 'retry', at));
          }
          expect(attempts).toBeLessThanOrEqual(
            1 + retry.userErrorLimit + retry.platformErrorLimit + retry.timeoutLimit,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
