import type { TopicPartition } from '../event-log.port';

type Callback = ((partitions: readonly TopicPartition[]) => Promise<void>) | undefined;
type Report = (message: string, error: unknown) => void;

export const partitionKey = ({ topic, partition }: TopicPartition): string => `${topic}|${partition}`;

/**
 * Turns kafkajs's group joins into the port's `onAssigned`/`onRevoked`.
 * kafkajs has no rebalance listener: it emits GROUP_JOIN with the member's
 * whole assignment after every join. The tracker diffs it with the previous
 * one and runs the callbacks one step at a time, in join order (revoked
 * first, then assigned), so that a partition lost and regained is revoked
 * before it is assigned again.
 *
 * Invariant: `whenReady(p)` resolves only after `onAssigned` for the
 * assignment that gave this member `p` has completed; the consumer awaits it
 * before handing any batch of `p` to `eachBatch`.
 */
export class AssignmentTracker {
  private owned = new Map<string, TopicPartition>();
  private steps: Promise<void> = Promise.resolve();
  private readonly ready = new Map<string, Promise<void>>();
  /** Owned partitions whose `onAssigned` has completed. */
  private readonly settled = new Set<string>();

  constructor(
    /** Runs before `onAssigned` in the same step (the consumer fixes start positions there). */
    private readonly prepare: (partitions: readonly TopicPartition[]) => Promise<void>,
    private readonly onAssigned: Callback,
    private readonly onRevoked: Callback,
    private readonly report: Report,
  ) {}

  /** Must be called synchronously from the GROUP_JOIN listener, before the next fetch is handled. */
  joined(memberAssignment: Readonly<Record<string, readonly number[]>>): void {
    const next = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(memberAssignment)) {
      for (const partition of partitions) next.set(partitionKey({ topic, partition }), { topic, partition });
    }
    const gained = [...next].filter(([key]) => !this.owned.has(key)).map(([, tp]) => tp);
    const lost = [...this.owned].filter(([key]) => !next.has(key)).map(([, tp]) => tp);
    this.owned = next;
    for (const tp of lost) {
      this.ready.delete(partitionKey(tp));
      this.settled.delete(partitionKey(tp));
    }
    this.enqueue(lost, 'revoked');
    const assigned = this.enqueue(gained, 'assigned');
    for (const tp of gained) this.ready.set(partitionKey(tp), assigned);
  }

  /** The member left the group (stop, or a kafkajs crash): everything it owned is revoked. */
  revokeAll(): Promise<void> {
    const lost = [...this.owned.values()];
    this.owned = new Map();
    this.ready.clear();
    this.settled.clear();
    this.enqueue(lost, 'revoked').catch(() => undefined);
    return this.steps;
  }

  /** Owned partitions that are ready for delivery (their `onAssigned` has completed). */
  assignment(): readonly TopicPartition[] {
    return [...this.owned].filter(([key]) => this.settled.has(key)).map(([, tp]) => tp);
  }

  owns(tp: TopicPartition): boolean {
    return this.owned.has(partitionKey(tp));
  }

  /**
   * Resolves once `onAssigned` covering `tp` has succeeded. If it failed, it is
   * run again for `tp` alone (the caller backs off between attempts).
   */
  whenReady(tp: TopicPartition): Promise<void> {
    const key = partitionKey(tp);
    const current = this.ready.get(key) ?? this.steps;
    return current.catch(() => {
      if (!this.owned.has(key)) throw new Error(`${key} is no longer assigned`);
      const retry = this.enqueue([tp], 'assigned');
      this.ready.set(key, retry);
      return retry;
    });
  }

  /** Appends a callback step; the returned promise rejects if that callback failed (the chain goes on). */
  private enqueue(partitions: readonly TopicPartition[], kind: 'assigned' | 'revoked'): Promise<void> {
    if (partitions.length === 0) return this.steps;
    const step = this.steps.then(async () => {
      if (kind === 'revoked') return this.onRevoked?.(partitions);
      await this.prepare(partitions);
      await this.onAssigned?.(partitions);
      for (const tp of partitions) {
        if (this.owned.has(partitionKey(tp))) this.settled.add(partitionKey(tp));
      }
    });
    this.steps = step.catch((error: unknown) => {
      this.report(
        `on${kind === 'assigned' ? 'Assigned' : 'Revoked'} failed for ${partitions.map(partitionKey).join(', ')}`,
        error,
      );
    });
    return step;
  }
}
