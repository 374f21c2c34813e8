import { NOW, runDetail, stepView } from '../testing/fixtures';
import { renderRunDetail } from './run';
import { activeDuration } from './run-duration';
import { createStyle } from './style';

const HOUR = 3_600_000;
const attempt = (runAttempt: number, readyAt: number, endedAt: number | null, status = 'succeeded') => ({
  attempt: runAttempt,
  runAttempt,
  status,
  executorId: 'e-1',
  readyAt,
  startedAt: readyAt,
  endedAt,
  leaseExpiresAt: null,
  errorKind: null,
  message: null,
});

// Attempt 1 ran 10 s and failed; the run sat failed 3 h; attempt 2 ran 5 s.
const restarted = runDetail({
  status: 'succeeded',
  runAttempt: 2,
  startedAt: NOW - 3 * HOUR - 20_000,
  endedAt: NOW,
  steps: [
    stepView('extract', {
      status: 'succeeded',
      attempts: [attempt(1, NOW - 3 * HOUR - 20_000, NOW - 3 * HOUR - 15_000)],
    }),
    stepView('load', {
      status: 'succeeded',
      attempt: 2,
      attempts: [
        attempt(1, NOW - 3 * HOUR - 15_000, NOW - 3 * HOUR - 10_000, 'failed'),
        attempt(2, NOW - 5_000, NOW - 100),
      ],
    }),
  ],
});

describe('the duration of a run', () => {
  it('counts a restarted run active time only, not the time it sat failed', () => {
    expect(activeDuration(restarted, NOW)).toBe('15.0s');
  });

  it('is the plain span for a run never restarted', () => {
    expect(activeDuration(runDetail({ startedAt: NOW - 9_000, endedAt: NOW - 1_000 }), NOW)).toBe('8.0s');
  });

  it('baton get shows both the active time and the span since the first start', () => {
    const text = renderRunDetail(restarted, createStyle(false, {}), NOW);

    expect(text).toContain('duration  15.0s active (3h 00m since the first start)\n');
  });
});
