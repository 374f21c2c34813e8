import type { Consumer, ConsumerOptions, TopicPartition } from '../event-log.port';
import { partitionKey, type ConsumerGroup, type GroupMember } from './consumer-group';
import type { LogStore } from './log-store';
import { PartitionFetcher, type FetcherSettings } from './partition-fetcher';

/** What a consumer needs from the log that created it. */
export interface ConsumerHost {
  readonly store: LogStore;
  readonly settings: FetcherSettings;
  group(groupId: string): ConsumerGroup;
  commitOffsets(
    offsets: readonly { groupId: string; topic: string; partition: number; offset: number }[],
  ): Promise<void>;
  forget(consumer: EmbeddedConsumer): void;
}

interface Owned {
  readonly topicPartition: TopicPartition;
  readonly fetcher: PartitionFetcher;
}

let nextMemberId = 1;

/**
 * A consumer-group member. All changes of ownership go through one
 * reconcile loop (never two passes at once), which first revokes what the
 * member should no longer own (stop fetchers, wait for their batch,
 * `onRevoked`, release) and then claims what is free and targeted to it
 * (`onAssigned`, then start fetchers). Revoking never waits on another
 * member, so two members swapping partitions cannot deadlock.
 */
export class EmbeddedConsumer implements Consumer, GroupMember {
  readonly memberId = nextMemberId++;
  readonly topics: readonly string[];
  private state: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  private readonly owned = new Map<string, Owned>();
  private dirty = false;
  private reconciling: Promise<void> | undefined;
  private readonly group: ConsumerGroup;
  private assignFailures = 0;

  constructor(
    private readonly host: ConsumerHost,
    private readonly options: ConsumerOptions,
  ) {
    this.topics = [...new Set(options.topics)];
    this.group = host.group(options.groupId);
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error('a consumer can be started once');
    for (const topic of this.topics) this.host.store.topicSpec(topic);
    if (this.options.startFrom !== 'latest') {
      for (const topic of this.topics) this.host.store.subscribe(this.options.groupId, topic);
    }
    this.state = 'running';
    this.group.join(this);
    await this.settled();
  }

  async commit(offsets: readonly { topic: string; partition: number; offset: number }[]): Promise<void> {
    await this.host.commitOffsets(offsets.map((offset) => ({ groupId: this.options.groupId, ...offset })));
  }

  assignment(): readonly TopicPartition[] {
    return [...this.owned.values()].map((owned) => owned.topicPartition);
  }

  /** In-process, the group's owner table is the truth (a partition is claimed before `onAssigned` runs). */
  async confirmOwnership(partitions: readonly TopicPartition[]): Promise<readonly TopicPartition[]> {
    if (this.state !== 'running') return [];
    return partitions.filter(({ topic, partition }) => this.group.isOwner(this, topic, partition));
  }

  async stop(): Promise<void> {
    if (this.state === 'created') this.state = 'stopped';
    if (this.state === 'stopped') return;
    if (this.state === 'running') {
      this.state = 'stopping';
      this.group.leave(this);
    }
    await this.settled();
    this.state = 'stopped';
    this.host.forget(this);
  }

  rebalance(): void {
    this.dirty = true;
    this.reconciling ??= this.reconcileLoop();
  }

  private async settled(): Promise<void> {
    while (this.reconciling) await this.reconciling;
  }

  private async reconcileLoop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.revokeLost();
        await this.claimGained();
      }
    } catch (error) {
      this.host.settings.onWarning(`rebalance failed in group ${this.options.groupId}`, error);
    } finally {
      // Runs in the same turn as the last `dirty` check, so no rebalance() call can slip in between.
      this.reconciling = undefined;
    }
  }

  private async revokeLost(): Promise<void> {
    const lost = [...this.owned.entries()].filter(
      ([, { topicPartition }]) =>
        this.state !== 'running' ||
        !this.group.isTarget(this, topicPartition.topic, topicPartition.partition),
    );
    if (lost.length === 0) return;
    await Promise.all(lost.map(([, { fetcher }]) => fetcher.stop()));
    const partitions = lost.map(([, { topicPartition }]) => topicPartition);
    try {
      await this.options.onRevoked?.(partitions);
    } catch (error) {
      this.host.settings.onWarning(`onRevoked failed for group ${this.options.groupId}`, error);
    }
    for (const [key] of lost) this.owned.delete(key);
    this.group.release(this, partitions);
  }

  private async claimGained(): Promise<void> {
    if (this.state !== 'running') return;
    const gained = this.group
      .targetOf(this)
      .filter(({ topic, partition }) => !this.owned.has(partitionKey(topic, partition)))
      .filter(({ topic, partition }) => this.group.claim(this, topic, partition));
    if (gained.length === 0) return;
    try {
      await this.options.onAssigned?.(gained);
      this.assignFailures = 0;
    } catch (error) {
      // Give the partitions back and try again later; nothing was delivered from them.
      this.assignFailures += 1;
      const { retryBackoffMs, maxRetryBackoffMs, onWarning } = this.host.settings;
      const delay = Math.min(maxRetryBackoffMs, retryBackoffMs * 2 ** (this.assignFailures - 1));
      onWarning(`onAssigned failed for group ${this.options.groupId}; retrying in ${delay} ms`, error);
      this.group.release(this, gained);
      setTimeout(() => this.state === 'running' && this.rebalance(), delay).unref();
      return;
    }
    for (const topicPartition of gained) {
      const fetcher = this.fetcherFor(topicPartition);
      this.owned.set(partitionKey(topicPartition.topic, topicPartition.partition), {
        topicPartition,
        fetcher,
      });
      fetcher.start();
    }
  }

  private fetcherFor({ topic, partition }: TopicPartition): PartitionFetcher {
    const { store, settings } = this.host;
    const log = store.partition(topic, partition);
    const groupId = this.options.groupId;
    // 'latest' is fixed when the partition is assigned, as Kafka resolves it once per assignment.
    const start = this.options.startFrom === 'latest' ? log.endOffset : 0;
    const resume = () => store.committedOffset(groupId, topic, partition) ?? start;
    return new PartitionFetcher(log, resume, this.options.eachBatch, settings, this.options.lingerMs ?? 0);
  }
}
