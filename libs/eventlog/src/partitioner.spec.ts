import { partitionForKey } from './partitioner';

describe('partitionForKey', () => {
  it('sends the same key to the same partition every time', () => {
    expect(partitionForKey('run-42', 12)).toBe(partitionForKey('run-42', 12));
  });

  it('matches the Java client, so producers in other languages agree', () => {
    // Java's Utils.murmur2 gives 'foobar' -> -790332482 and 'abc' -> 479470107 (Kafka's UtilsTest);
    // the partition is (hash & 0x7fffffff) % partitions.
    expect(partitionForKey('foobar', 1000)).toBe((-790332482 & 0x7fffffff) % 1000);
    expect(partitionForKey('abc', 1000)).toBe(479470107 % 1000);
  });

  it('spreads keys over every partition', () => {
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => partitionForKey(`run-${i}`, 8)));
    expect(seen.size).toBe(8);
  });
});
