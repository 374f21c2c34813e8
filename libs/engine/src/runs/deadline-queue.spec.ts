import fc from 'fast-check';
import { DeadlineQueue } from './deadline-queue';

describe('DeadlineQueue', () => {
  it('hands out due runs earliest first and keeps later ones', () => {
    const sut = new DeadlineQueue();
    sut.set('b', 20);
    sut.set('a', 10);
    sut.set('c', 30);
    expect(sut.takeDue(25)).toEqual(['a', 'b']);
    expect(sut.peek()).toBe(30);
  });

  it('uses only the latest deadline of a run, and forgets cleared runs', () => {
    const sut = new DeadlineQueue();
    sut.set('a', 10);
    sut.set('a', 50);
    sut.set('b', 20);
    sut.set('b', null);
    expect(sut.takeDue(40)).toEqual([]);
    expect(sut.takeDue(50)).toEqual(['a']);
    expect(sut.size).toBe(0);
  });

  it('agrees with a plain map under random updates', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.option(fc.integer({ min: 0, max: 100 }))),
        ),
        fc.integer({ min: 0, max: 100 }),
        (updates, now) => {
          const sut = new DeadlineQueue();
          const model = new Map<string, number>();
          for (const [runId, at] of updates) {
            sut.set(runId, at);
            if (at === null) model.delete(runId);
            else model.set(runId, at);
          }
          const expected = [...model]
            .filter(([, at]) => at <= now)
            .sort((x, y) => x[1] - y[1])
            .map(([runId]) => runId);
          const due = sut.takeDue(now);
          expect(new Set(due)).toEqual(new Set(expected));
          expect(due.map((runId) => model.get(runId))).toEqual(expected.map((runId) => model.get(runId)));
        },
      ),
    );
  });
});
