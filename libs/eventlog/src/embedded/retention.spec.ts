import fc from 'fast-check';
import { retainedStart, trimStep, type RetentionInputs } from './retention';

const NONE = Number.POSITIVE_INFINITY;

describe('retention of a plain partition', () => {
  const partition = (inputs: Partial<RetentionInputs>): RetentionInputs => ({
    start: 0,
    end: 100,
    groups: NONE,
    readers: NONE,
    ...inputs,
  });

  it('keeps the newest tail records when nothing else holds the partition', () => {
    expect(retainedStart(partition({}), 10, trimStep(10))).toBe(90);
  });

  it('keeps every record a group has not committed', () => {
    expect(retainedStart(partition({ groups: 40 }), 10, trimStep(10))).toBe(40);
  });

  it('keeps every record a live reader has not read', () => {
    expect(retainedStart(partition({ groups: 95, readers: 30 }), 10, trimStep(10))).toBe(30);
  });

  it('holds everything for a group that has committed nothing on the partition', () => {
    expect(retainedStart(partition({ groups: 0 }), 10, trimStep(10))).toBeUndefined();
  });

  it('moves only by a whole step, so a trim frame covers many appends', () => {
    expect(trimStep(1_000)).toBe(250);
    expect(retainedStart(partition({ start: 80, groups: 82 }), 10, 3)).toBeUndefined();
    expect(retainedStart(partition({ start: 80, groups: 83 }), 10, 3)).toBe(83);
  });

  it('never trims with an infinite tail', () => {
    const tail = Number.POSITIVE_INFINITY;
    expect(retainedStart(partition({ end: 10 ** 9, groups: 10 ** 9 }), tail, trimStep(tail))).toBeUndefined();
  });

  it('never moves the start back, past a group, past a reader or into the tail', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.nat(1_000),
        fc.option(fc.nat(1_200), { nil: undefined }),
        fc.option(fc.nat(1_200), { nil: undefined }),
        fc.nat(50),
        (start, length, groups, readers, tail) => {
          const inputs = { start, end: start + length, groups: groups ?? NONE, readers: readers ?? NONE };
          const next = retainedStart(inputs, tail, trimStep(tail));
          if (next === undefined) return;
          expect(next).toBeGreaterThanOrEqual(start + trimStep(tail));
          expect(next).toBeLessThanOrEqual(Math.min(inputs.end - tail, inputs.groups, inputs.readers));
        },
      ),
    );
  });
});
