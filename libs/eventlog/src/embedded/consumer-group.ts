import type { TopicPartition } from '../event-log.port';

/** What the group needs from a member. */
export interface GroupMember {
  readonly memberId: number;
  readonly topics: readonly string[];
  /** The member's target changed or a partition was released: reconcile (never awaited here). */
  rebalance(): void;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * The coordinator of one consumer group inside the process.
 *
 * It keeps two things apart: the *target* assignment (round-robin over the
 * sorted partitions of the subscribed topics, recomputed whenever a member
 * joins or leaves) and the *owner* of each partition (who is delivering it
 * now). A partition changes owner only through `release` then `claim`: the
 * losing member stops delivering, finishes its batch, runs `onRevoked`, then
 * releases; only then can the new target member claim it and run
 * `onAssigned`. So a partition is never delivered by two members at once,
 * and the new owner resumes from the offset committed by the old one.
 */
export class ConsumerGroup {
  private members: GroupMember[] = [];
  private targets = new Map<GroupMember, Set<string>>();
  private readonly owners = new Map<string, GroupMember>();

  constructor(
    readonly groupId: string,
    private readonly partitionCount: (topic: string) => number,
  ) {}

  get size(): number {
    return this.members.length;
  }

  join(member: GroupMember): void {
    this.members = [...this.members, member].sort((a, b) => a.memberId - b.memberId);
    this.reassign();
  }

  leave(member: GroupMember): void {
    this.members = this.members.filter((other) => other !== member);
    this.reassign();
    member.rebalance();
  }

  /** The partitions `member` should own under the current target assignment. */
  targetOf(member: GroupMember): readonly TopicPartition[] {
    return [...(this.targets.get(member) ?? [])].map(fromKey);
  }

  isTarget(member: GroupMember, topic: string, partition: number): boolean {
    return this.targets.get(member)?.has(partitionKey(topic, partition)) ?? false;
  }

  /** Whether `member` owns the partition now (claimed and not released). */
  isOwner(member: GroupMember, topic: string, partition: number): boolean {
    return this.owners.get(partitionKey(topic, partition)) === member;
  }

  /** Makes `member` the owner if the partition is free and targeted to it. */
  claim(member: GroupMember, topic: string, partition: number): boolean {
    const key = partitionKey(topic, partition);
    if (this.owners.has(key) || !this.targets.get(member)?.has(key)) return false;
    this.owners.set(key, member);
    return true;
  }

  /** Frees partitions `member` owned and lets the others pick them up. */
  release(member: GroupMember, partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition);
      if (this.owners.get(key) === member) this.owners.delete(key);
    }
    for (const other of this.members) if (other !== member) other.rebalance();
  }

  private reassign(): void {
    const topics = [...new Set(this.members.flatMap((member) => member.topics))].sort();
    const targets = new Map<GroupMember, Set<string>>(this.members.map((member) => [member, new Set()]));
    let cursor = 0;
    for (const topic of topics) {
      const subscribers = this.members.filter((member) => member.topics.includes(topic));
      for (let partition = 0; partition < this.partitionCount(topic); partition += 1) {
        // Round-robin over all members, skipping those not subscribed to this topic.
        while (!subscribers.includes(this.members[cursor % this.members.length])) cursor += 1;
        targets.get(this.members[cursor % this.members.length])?.add(partitionKey(topic, partition));
        cursor += 1;
      }
    }
    this.targets = targets;
    for (const member of this.members) member.rebalance();
  }
}

function fromKey(key: string): TopicPartition {
  const separator = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)) };
}
