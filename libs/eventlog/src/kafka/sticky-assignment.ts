/** Partitions per topic, as a member reports or receives them. */
export type TopicAssignment = Readonly<Record<string, readonly number[]>>;

export interface StickyMember {
  readonly memberId: string;
  readonly topics: readonly string[];
  /** What the member says it owns now (empty for a new member). */
  readonly owned: TopicAssignment;
}

/**
 * A balanced assignment that moves as few partitions as possible: pure, so
 * the group leader computes it from what every member reports.
 *
 * Per topic, among the members subscribed to it: every member gets
 * floor(P/n) or ceil(P/n) partitions (the ceil quotas go to the members that
 * hold most already); a member keeps what it owned up to its quota; the rest
 * go to the members furthest below theirs. A partition two members claim
 * (one of them missed a rebalance) goes to the first in member-id order.
 *
 * Why: kafkajs 2.2.4 only ships round-robin, which reshuffles partitions on
 * every join, so each rebalance made every engine restore (and every writer
 * re-open) partitions it did not need to give up.
 */
export function stickyAssignment(
  members: readonly StickyMember[],
  partitionsOf: (topic: string) => readonly number[],
): Map<string, Record<string, number[]>> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const result = new Map<string, Record<string, number[]>>(sorted.map((m) => [m.memberId, {}]));
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribed = sorted.filter((m) => m.topics.includes(topic));
    const partitions = [...partitionsOf(topic)].sort((a, b) => a - b);
    for (const [memberId, assigned] of assignTopic(subscribed, topic, partitions)) {
      if (assigned.length > 0) result.get(memberId)![topic] = assigned;
    }
  }
  return result;
}

function assignTopic(
  members: readonly StickyMember[],
  topic: string,
  partitions: readonly number[],
): Map<string, number[]> {
  const exists = new Set(partitions);
  const claims = new Map<string, number[]>();
  const claimed = new Set<number>();
  for (const member of members) {
    const mine = (member.owned[topic] ?? []).filter((p) => exists.has(p) && !claimed.has(p));
    for (const p of mine) claimed.add(p);
    claims.set(member.memberId, mine);
  }
  const base = Math.floor(partitions.length / members.length);
  const extra = partitions.length % members.length;
  // Stable sort: equal claims keep member-id order.
  const byClaims = [...members].sort(
    (a, b) => claims.get(b.memberId)!.length - claims.get(a.memberId)!.length,
  );
  const quota = new Map(byClaims.map((m, i) => [m.memberId, base + (i < extra ? 1 : 0)]));
  const assigned = new Map<string, number[]>();
  const free: number[] = [];
  for (const member of members) {
    const keep = claims.get(member.memberId)!.slice(0, quota.get(member.memberId));
    assigned.set(member.memberId, keep);
    free.push(...claims.get(member.memberId)!.slice(keep.length));
  }
  free.push(...partitions.filter((p) => !claimed.has(p)));
  free.sort((a, b) => a - b);
  for (const p of free) {
    const neediest = members.reduce((best, m) =>
      quota.get(m.memberId)! - assigned.get(m.memberId)!.length >
      quota.get(best.memberId)! - assigned.get(best.memberId)!.length
        ? m
        : best,
    );
    assigned.get(neediest.memberId)!.push(p);
  }
  for (const list of assigned.values()) list.sort((a, b) => a - b);
  return assigned;
}
