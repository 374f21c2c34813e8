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
 *
 * Freshness: a callback step runs later than the join that queued it. An
 * `onAssigned` step only covers the partitions still owned through that same
 * join (a later join that took a partition away, or gave it back, queued its
 * own steps), so an old generation's assignment never reaches `onAssigned`.
 * A join under a new member id means the coordinator dropped this member
 * (its session expired, e.g. a paused process) and others may have owned its
 * partitions meanwhile: everything is revoked and assigned again, even what
 * the new assignment gives back, so the writer re-opens and restores.
 */
export class AssignmentTracker {
  private owned = new Map<string, TopicPartition>();
  /** The join (counted) through which each owned partition was gained. */
  private readonly gainedAt = new Map<string, number>();
  private joins = 0;
  private memberId: string | null = null;
  /** Failed `onAssigned` attempts per owned partition since it was gained. */
  private readonly failures = new Map<string, number>();
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
    /** Back-off before a failed `onAssigned` is run again by itself (doubling, capped). */
    private readonly retry: { readonly firstMs: number; readonly maxMs: number } = {
      firstMs: 250,
      maxMs: 5_000,
    },
  ) {}

  /** Must be called synchronously from the GROUP_JOIN listener, before the next fetch is handled. */
  joined(memberId: string, memberAssignment: Readonly<Record<string, readonly number[]>>): void {
    const join = ++this.joins;
    const next = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(memberAssignment)) {
      for (const partition of partitions) next.set(partitionKey({ topic, partition }), { topic, partition });
    }
    const rejoined = this.memberId !== null && this.memberId !== memberId;
    this.memberId = memberId;
    const kept = (key: string) => !rejoined && this.owned.has(key);
    const gained = [...next].filter(([key]) => !kept(key)).map(([, tp]) => tp);
    const lost = [...this.owned].filter(([key]) => rejoined || !next.has(key)).map(([, tp]) => tp);
    this.owned = next;
    for (const tp of lost) this.forget(partitionKey(tp));
    this.enqueue(lost, 'revoked', join);
    for (const tp of gained) this.gainedAt.set(partitionKey(tp), join);
    const assigned = this.enqueue(gained, 'assigned', join);
    for (const tp of gained) this.ready.set(partitionKey(tp), assigned);
  }

  /** The member left the group (stop, or a kafkajs crash): everything it owned is revoked. */
  revokeAll(): Promise<void> {
    const lost = [...this.owned.values()];
    this.owned = new Map();
    this.memberId = null;
    for (const tp of lost) this.forget(partitionKey(tp));
    this.enqueue(lost, 'revoked', this.joins).catch(() => undefined);
    return this.steps;
  }

  /** Owned partitions that are ready for delivery (their `onAssigned` has completed). */
  assignment(): readonly TopicPartition[] {
    return [...this.owned].filter(([key]) => this.settled.has(key)).map(([, tp]) => tp);
  }

  /** Every partition of the last join, ready or not. */
  assigned(): readonly TopicPartition[] {
    return [...this.owned.values()];
  }

  owns(tp: TopicPartition): boolean {
    return this.owned.has(partitionKey(tp));
  }

  /** Whether `onAssigned` for `tp` has completed, i.e. `whenReady(tp)` would resolve at once. */
  isReady(tp: TopicPartition): boolean {
    return this.settled.has(partitionKey(tp));
  }

  /** The member id of the last join (null before the first one and after a leave). */
  currentMemberId(): string | null {
    return this.memberId;
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
      const retry = this.enqueue([tp], 'assigned', this.gainedAt.get(key) ?? this.joins);
      this.ready.set(key, retry);
      return retry;
    });
  }

  private forget(key: string): void {
    this.ready.delete(key);
    this.settled.delete(key);
    this.gainedAt.delete(key);
    this.failures.delete(key);
  }

  /**
   * A failed `onAssigned` is run again after a back-off without waiting for a
   * batch: a partition with no new records would otherwise never be restored
   * (and the engine's timers in it never armed).
   */
  private retryLater(partitions: readonly TopicPartition[], join: number): void {
    const keys = partitions.map(partitionKey);
    const attempts = Math.max(...keys.map((key) => (this.failures.get(key) ?? 0) + 1));
    for (const key of keys) this.failures.set(key, attempts);
    const delay = Math.min(this.retry.firstMs * 2 ** (attempts - 1), this.retry.maxMs);
    const timer = setTimeout(() => {
      const still = partitions.filter(
        (tp) => this.gainedAt.get(partitionKey(tp)) === join && !this.settled.has(partitionKey(tp)),
      );
      if (still.length === 0) return;
      const retried = this.enqueue(still, 'assigned', join);
      for (const tp of still) this.ready.set(partitionKey(tp), retried);
    }, delay);
    timer.unref();
  }

  /**
   * Appends a callback step; the returned promise rejects if that callback failed (the chain goes on).
   * An assigned step keeps, when it runs, only partitions still owned through join `join`.
   */
  private enqueue(
    partitions: readonly TopicPartition[],
    kind: 'assigned' | 'revoked',
    join: number,
  ): Promise<void> {
    if (partitions.length === 0) return this.steps;
    const step = this.steps.then(async () => {
      if (kind === 'revoked') return this.onRevoked?.(partitions);
      const current = partitions.filter((tp) => this.gainedAt.get(partitionKey(tp)) === join);
      if (current.length === 0) return;
      await this.prepare(current);
      await this.onAssigned?.(current);
      for (const tp of current) {
        if (this.gainedAt.get(partitionKey(tp)) !== join) continue;
        this.settled.add(partitionKey(tp));
        this.failures.delete(partitionKey(tp));
      }
    });
    this.steps = step.catch((error: unknown) => {
      this.report(
        `on${kind === 'assigned' ? 'Assigned' : 'Revoked'} failed for ${partitions.map(partitionKey).join(', ')}`,
        error,
      );
      if (kind === 'assigned') this.retryLater(partitions, join);
    });
    return step;
  }
}
