import { formatAge, formatDuration, spanDuration } from './time';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [350, '350ms'],
    [999, '999ms'],
    [1_000, '1.0s'],
    [4_250, '4.2s'],
    [59_999, '59.9s'],
    [60_000, '1m 00s'],
    [185_000, '3m 05s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
    [90_000_000, '1d 01h'],
    [-5, '0ms'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('measures a span until now while it has not ended, and shows - before it started', () => {
    expect(spanDuration(1_000, null, 3_500)).toBe('2.5s');
    expect(spanDuration(1_000, 1_400, 9_999)).toBe('400ms');
    expect(spanDuration(null, null, 9_999)).toBe('-');
  });

  it('tells ages in the largest whole unit', () => {
    expect(formatAge(0, 59_000)).toBe('59s ago');
    expect(formatAge(0, 125_000)).toBe('2m ago');
    expect(formatAge(0, 3 * 3_600_000)).toBe('3h ago');
    expect(formatAge(0, 50 * 3_600_000)).toBe('2d ago');
  });
});
