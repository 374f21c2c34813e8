import fc from 'fast-check';
import { BoundedLabel, OVERFLOW_LABEL } from './bounded-label';

describe('BoundedLabel', () => {
  it('passes the first N distinct values, turns later ones into `other`, and keeps a passed value', () => {
    const sut = new BoundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'd', 'b'].map((v) => sut.of(v))).toEqual([
      'a',
      'b',
      OVERFLOW_LABEL,
      'a',
      OVERFLOW_LABEL,
      'b',
    ]);
  });

  it('never yields more than N + 1 distinct labels, whatever it is fed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(fc.string({ maxLength: 3 })), (max, values) => {
        const sut = new BoundedLabel(max);
        const labels = new Set(values.map((v) => sut.of(v)));
        labels.delete(OVERFLOW_LABEL);
        expect(labels.size).toBeLessThanOrEqual(max);
      }),
    );
  });
});
