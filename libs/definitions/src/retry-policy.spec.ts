import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { accepted, refused } from './testing/documents';

const doc = (step: Record<string, unknown>) => ({
  id: 'wf',
  steps: [{ id: 'load', type: 'shell', command: ['./load.sh'], ...step }],
});

describe('retry policy per error kind', () => {
  it('keeps the shared backoff and adds a backoff per kind when given', () => {
    const [step] = accepted(
      doc({
        retry_policy: {
          user_error_limit: 2,
          user_error_backoff: { type: 'exponential', initial_delay: '5s', multiplier: 3, max_delay: '1m' },
          platform_error_backoff: { type: 'fixed', delay: '1m' },
        },
      }),
    ).steps;
    expect(step.retry).toEqual({
      ...DEFAULT_RETRY_POLICY,
      userErrorLimit: 2,
      backoffs: {
        user: { kind: 'exponential', initialDelayMs: 5_000, multiplier: 3, maxDelayMs: 60_000 },
        platform: { kind: 'fixed', delayMs: 60_000 },
      },
    });
  });

  it('has no per-kind backoffs unless given, so older definitions normalize as before', () => {
    expect(accepted(doc({ retry_policy: { user_error_limit: 1 } })).steps[0].retry).not.toHaveProperty(
      'backoffs',
    );
  });

  it('checks a per-kind backoff as it checks the shared one, at its path', () => {
    expect(refused(doc({ retry_policy: { timeout_backoff: { type: 'fixed' } } }))).toEqual([
      {
        path: '$.steps[0].retry_policy.timeout_backoff.delay',
        message: 'fixed backoff needs a delay, e.g. delay: 30s',
      },
    ]);
  });
});

describe('exit codes a shell step never retries', () => {
  it('reads non_retryable_exit_codes as every code but those', () => {
    expect(accepted(doc({ non_retryable_exit_codes: [2, 64] })).steps[0]).toMatchObject({
      retryableExitCodes: { except: [2, 64] },
    });
  });

  it('reads retryable_exit_codes as only those codes', () => {
    expect(accepted(doc({ retryable_exit_codes: [75] })).steps[0]).toMatchObject({
      retryableExitCodes: { only: [75] },
    });
  });

  it('refuses both at once, codes outside 0-255, and the fields on other step types', () => {
    expect(refused(doc({ non_retryable_exit_codes: [1], retryable_exit_codes: [2] }))).toEqual([
      {
        path: '$.steps[0].retryable_exit_codes',
        message: 'give non_retryable_exit_codes or retryable_exit_codes, not both',
      },
    ]);
    expect(refused(doc({ non_retryable_exit_codes: [256] }))).toEqual([
      {
        path: '$.steps[0].non_retryable_exit_codes',
        message: 'non_retryable_exit_codes must be a list of exit codes (integers 0-255)',
      },
    ]);
    expect(refused({ id: 'wf', steps: [{ id: 'n', type: 'noop', non_retryable_exit_codes: [1] }] })).toEqual([
      {
        path: '$.steps[0].non_retryable_exit_codes',
        message: "'non_retryable_exit_codes' applies to shell steps only; this step is a noop step",
      },
    ]);
  });
});
