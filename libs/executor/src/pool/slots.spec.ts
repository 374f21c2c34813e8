import { Slots, SlotWaitEnded } from './slots';

describe('Slots', () => {
  it('grants up to size at once, then queues', async () => {
    const busy: number[] = [];
    const sut = new Slots(2, (count) => busy.push(count));

    const first = await sut.acquire(1_000);
    await sut.acquire(1_000);
    let third = false;
    const waiting = sut.acquire(1_000).then((slot) => ((third = true), slot));
    await Promise.resolve();

    expect(third).toBe(false);
    first.release();
    await waiting;
    expect(third).toBe(true);
    expect(sut.busy).toBe(2);
    expect(busy.every((count) => count <= 2)).toBe(true);
  });

  it('serves waiters in arrival order, and a released slot goes to the queue before any newcomer', async () => {
    const sut = new Slots(1);
    const held = await sut.acquire(1_000);
    const order: string[] = [];
    const a = sut.acquire(1_000).then((slot) => (order.push('a'), slot));
    const b = sut.acquire(1_000).then((slot) => (order.push('b'), slot));

    held.release();
    const late = sut.acquire(1_000).then((slot) => (order.push('late'), slot));
    (await a).release();
    (await b).release();
    (await late).release();

    expect(order).toEqual(['a', 'b', 'late']);
    expect(sut.busy).toBe(0);
  });

  it('gives up after the wait limit, and on abort, without taking a slot', async () => {
    const sut = new Slots(1);
    const held = await sut.acquire(1_000);
    const controller = new AbortController();

    await expect(sut.acquire(20)).rejects.toEqual(new SlotWaitEnded('timeout'));
    const aborted = sut.acquire(Infinity, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toEqual(new SlotWaitEnded('aborted'));
    await expect(sut.acquire(1_000, controller.signal)).rejects.toEqual(new SlotWaitEnded('aborted'));

    held.release();
    expect(sut.busy).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const sut = new Slots(2);
    const slot = await sut.acquire(1_000);
    await sut.acquire(1_000);

    slot.release();
    slot.release();

    expect(sut.busy).toBe(1);
  });
});
