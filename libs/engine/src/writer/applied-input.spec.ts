import fc from 'fast-check';
import { partitionForKey } from '@baton/eventlog';
import { appliedInputKey, decodeAppliedInput, encodeAppliedInput, isAppliedInputKey } from './applied-input';

describe('applied input', () => {
  it('given any partition of a topic, then its key is routed to that partition and is never a state key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }).chain((count) => fc.tuple(fc.constant(count), fc.nat(count - 1))),
        ([count, partition]) => {
          const key = appliedInputKey(partition, count);
          expect(partitionForKey(key, count)).toBe(partition);
          expect(isAppliedInputKey(key)).toBe(true);
        },
      ),
    );
    expect(isAppliedInputKey('run-1')).toBe(false);
  });

  it('given a partition outside the topic, then no key is made up', () => {
    expect(() => appliedInputKey(4, 4)).toThrow('partition 4 is not one of 4');
  });

  it('given a record, then it decodes for its own partition only', () => {
    const json = encodeAppliedInput({ partition: 2, next: 1977 });
    expect(decodeAppliedInput(json, 2)).toEqual({ partition: 2, next: 1977 });
    expect(decodeAppliedInput(json, 3)).toBeNull();
    expect(decodeAppliedInput('not json', 2)).toBeNull();
    expect(decodeAppliedInput(null, 2)).toBeNull();
  });
});
