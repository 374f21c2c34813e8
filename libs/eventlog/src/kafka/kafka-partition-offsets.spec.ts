import type { Admin } from 'kafkajs';
import { kafkaPartitionOffsets } from './kafka-partition-reader';

/** An admin whose `fetchTopicOffsets` throws `failures` times first, as kafkajs does while metadata is missing. */
function adminFailing(failures: number, error: () => Error) {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: async () => {
      calls++;
      if (calls <= failures) throw error();
      return [{ partition: 0, offset: '7', high: '7', low: '2' }];
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

describe('kafkaPartitionOffsets', () => {
  it("reads again when kafkajs trips over an offsets answer with no partition (its 'low.pop()' TypeError)", async () => {
    const { admin, calls } = adminFailing(
      2,
      () => new TypeError("Cannot destructure property 'partitions' of 'low.pop(...)' as it is undefined."),
    );

    await expect(kafkaPartitionOffsets(admin, 'baton.workflow-events', 0)).resolves.toEqual({
      start: 2,
      end: 7,
    });
    expect(calls()).toBe(3);
  });

  it('gives up after ten tries, and does not retry other errors', async () => {
    const typeErrors = adminFailing(100, () => new TypeError('still no partitions'));
    await expect(kafkaPartitionOffsets(typeErrors.admin, 't', 0)).rejects.toThrow('still no partitions');
    expect(typeErrors.calls()).toBe(10);

    const other = adminFailing(1, () => new Error('broker down'));
    await expect(kafkaPartitionOffsets(other.admin, 't', 0)).rejects.toThrow('broker down');
    expect(other.calls()).toBe(1);
  });
});
