import fc from 'fast-check';
import { stickyAssignment, type StickyMember } from './sticky-assignment';

const eight = () => [0, 1, 2, 3, 4, 5, 6, 7];
const member = (memberId: string, owned: number[] = []): StickyMember => ({
  memberId,
  topics: ['t'],
  owned: owned.length > 0 ? { t: owned } : {},
});
const of = (result: Map<string, Record<string, number[]>>, memberId: string) => result.get(memberId)?.t ?? [];

describe('stickyAssignment', () => {
  it('given a member that died, when the group rebalances, then the survivor keeps its partitions and takes the rest', () => {
    const result = stickyAssignment([member('b', [1, 3, 5, 7])], eight);
    expect(of(result, 'b')).toEqual(eight());
  });

  it('given a new member, when it joins, then only the partitions it needs move, from the member holding most', () => {
    const result = stickyAssignment([member('a', [0, 1, 2, 3, 4, 5, 6, 7]), member('c')], eight);
    expect(of(result, 'a')).toEqual([0, 1, 2, 3]);
    expect(of(result, 'c')).toEqual([4, 5, 6, 7]);
    const third = stickyAssignment(
      [member('a', [0, 1, 2, 3]), member('c', [4, 5, 6, 7]), member('d')],
      eight,
    );
    expect(of(third, 'a')).toEqual([0, 1, 2]);
    expect(of(third, 'c')).toEqual([4, 5, 6]);
    expect(of(third, 'd')).toEqual([3, 7]);
  });

  it('gives a partition two members claim to one of them only', () => {
    const result = stickyAssignment([member('a', [0, 1, 2, 3]), member('b', [3, 4, 5, 6, 7])], eight);
    expect([...of(result, 'a'), ...of(result, 'b')].sort()).toEqual(eight());
  });

  it('always assigns every partition exactly once, balanced within one, each member keeping what it owned up to its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: -1, max: 5 }), { minLength: 1, maxLength: 24 }),
        (memberCount, ownerOf) => {
          const partitions = () => ownerOf.map((_, p) => p);
          // Partition p was owned by member ownerOf[p] (none when out of range): disjoint claims.
          const members = Array.from({ length: memberCount }, (_, i) =>
            member(
              `m${i}`,
              partitions().filter((p) => ownerOf[p] === i),
            ),
          );
          const result = stickyAssignment(members, partitions);
          const all = members.flatMap((m) => of(result, m.memberId)).sort((a, b) => a - b);
          expect(all).toEqual(partitions());
          const sizes = members.map((m) => of(result, m.memberId).length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const m of members) {
            const mine = of(result, m.memberId);
            const kept = mine.filter((p) => (m.owned.t ?? []).includes(p)).length;
            expect(kept).toBe(Math.min((m.owned.t ?? []).length, mine.length));
          }
        },
      ),
    );
  });
});
