import type { TopicPartition } from '../event-log.port';
import { AssignmentTracker } from './kafka-assignment';

type Call = { kind: 'assigned' | 'revoked'; partitions: number[] };

function tracker(
  onAssigned: (partitions: readonly TopicPartition[]) => Promise<void> = async () => undefined,
) {
  const calls: Call[] = [];
  const sut = new AssignmentTracker(
    async () => undefined,
    async (partitions) => {
      calls.push({ kind: 'assigned', partitions: partitions.map((tp) => tp.partition) });
      await onAssigned(partitions);
    },
    async (partitions) => {
      calls.push({ kind: 'revoked', partitions: partitions.map((tp) => tp.partition) });
    },
    () => undefined,
  );
  return { sut, calls };
}

/** The callback steps are a promise chain: one macrotask later they have all run. */
const settle = (_sut: AssignmentTracker) => new Promise((resolve) => setTimeout(resolve, 10));

describe('AssignmentTracker', () => {
  it('given a member re-joining with the same id, when it keeps a partition, then that partition is neither revoked nor assigned again', async () => {
    const { sut, calls } = tracker();
    sut.joined('m1', { t: [0, 1] });
    await settle(sut);
    sut.joined('m1', { t: [0] });
    await settle(sut);
    expect(calls).toEqual([
      { kind: 'assigned', partitions: [0, 1] },
      { kind: 'revoked', partitions: [1] },
    ]);
  });

  it('given a member the coordinator dropped (new member id), when the new assignment gives back the same partitions, then everything is revoked and assigned again', async () => {
    const { sut, calls } = tracker();
    sut.joined('m1', { t: [0, 1] });
    await settle(sut);
    sut.joined('m2', { t: [0, 1] });
    await settle(sut);
    expect(calls).toEqual([
      { kind: 'assigned', partitions: [0, 1] },
      { kind: 'revoked', partitions: [0, 1] },
      { kind: 'assigned', partitions: [0, 1] },
    ]);
    expect(sut.isReady({ topic: 't', partition: 1 })).toBe(true);
  });

  it('given an assignment still queued behind a slow one, when a later join takes its partition away, then onAssigned never sees that partition', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const { sut, calls } = tracker((partitions) =>
      partitions[0]?.partition === 1 ? slow : Promise.resolve(),
    );
    sut.joined('m1', { t: [1] });
    sut.joined('m1', { t: [1, 0] });
    sut.joined('m1', { t: [1] });
    release();
    await sut.whenReady({ topic: 't', partition: 1 });
    await settle(sut);
    expect(calls).toEqual([
      { kind: 'assigned', partitions: [1] },
      { kind: 'revoked', partitions: [0] },
    ]);
    expect(sut.assignment()).toEqual([{ topic: 't', partition: 1 }]);
  });
});

describe('AssignmentTracker retries', () => {
  it('given an onAssigned that failed, when no batch arrives, then it is run again by itself after the back-off', async () => {
    let attempts = 0;
    const sut = new AssignmentTracker(
      async () => undefined,
      async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('not confirmed yet');
      },
      async () => undefined,
      () => undefined,
      { firstMs: 5, maxMs: 20 },
    );
    sut.joined('m1', { t: [0] });
    for (let waited = 0; !sut.isReady({ topic: 't', partition: 0 }) && waited < 2_000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attempts).toBe(3);
    expect(sut.assignment()).toEqual([{ topic: 't', partition: 0 }]);
  });
});
