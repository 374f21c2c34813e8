import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
    ['PT1H', 3_600_000],
    ['PT1M30.5S', 90_500],
    ['P1DT2H', 93_600_000],
    [90, 90_000],
    [0.5, 500],
  ])('%p is %p ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each(['', '5 minutes', '1y', 'P1M', 'PT', '1.5h', 'm', '30S', '1s1h', 'P'])('refuses %p', (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
  });

  it('refuses non-positive, huge and non-finite values', () => {
    expect(parseDuration(0)).toEqual({ ok: false, message: 'a duration must be positive' });
    expect(parseDuration(-5)).toEqual({ ok: false, message: 'a duration must be positive' });
    expect(parseDuration('400d')).toEqual({ ok: false, message: 'a duration must be at most 366 days' });
    expect(parseDuration(Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(parseDuration(true).ok).toBe(false);
  });
});
