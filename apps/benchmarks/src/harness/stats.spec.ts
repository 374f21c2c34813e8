import { distribution, median, percentile } from './stats';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 * n)', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('is NaN for no values, and the distribution says n = 0', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(distribution([]).n).toBe(0);
  });
});
