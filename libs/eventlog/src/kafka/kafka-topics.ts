import type { Admin, ITopicConfig } from 'kafkajs';
import type { TopicSpec } from '../event-log.port';
import { isRetriableKafkaError } from './kafka-errors';

const METADATA_WAIT_MS = 30_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;
/**
 * kafkajs answers a create of several topics where some already exist and
 * another failed retriably with all the errors; the next attempt lists the
 * topics again and creates only the missing ones.
 */
const RETRIED_ON_CREATE: ReadonlySet<string> = new Set(['TOPIC_ALREADY_EXISTS']);

/** Topic administration and the partition-count cache the producers route with. */
export class KafkaTopics {
  private readonly counts = new Map<string, Promise<number>>();

  constructor(private readonly admin: Admin) {}

  /**
   * Creates the missing topics, then waits until the metadata shows every
   * partition of every requested topic with a leader. kafkajs's own
   * `waitForLeaders` is skipped when any topic already existed (it reports
   * TOPIC_ALREADY_EXISTS for the whole call), so the wait is done here.
   *
   * On a first start every process creates its topics at the same moment: a
   * topic another one has just created can be unknown to the broker's
   * metadata for a moment (UNKNOWN_TOPIC_OR_PARTITION, which kafkajs's
   * metadata call does not retry). Retriable errors are retried, with
   * back-off, for up to 30 s; anything else fails at once.
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    if (topics.length === 0) return Promise.resolve();
    return retryRetriable(`create Kafka topics ${topics.map((t) => t.name).join(', ')}`, () =>
      this.createAndWait(topics),
    );
  }

  private async createAndWait(topics: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      // false = "already exists": another process created it between list and create.
      await this.admin.createTopics({ topics: missing.map(toTopicConfig), waitForLeaders: true });
    }
    await this.waitForLeaders(topics.map((topic) => topic.name));
  }

  partitionCount(topic: string): Promise<number> {
    let count = this.counts.get(topic);
    if (!count) {
      count = retryRetriable(`read the partitions of Kafka topic ${topic}`, () =>
        this.fetchPartitionCount(topic),
      );
      this.counts.set(topic, count);
      count.catch(() => this.counts.delete(topic));
    }
    return count;
  }

  private async fetchPartitionCount(topic: string): Promise<number> {
    const existing = await this.admin.listTopics();
    if (!existing.includes(topic)) throw new Error(`Kafka topic ${topic} does not exist`);
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions.length;
  }

  private async waitForLeaders(names: readonly string[]): Promise<void> {
    const deadline = Date.now() + METADATA_WAIT_MS;
    for (;;) {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [...names] });
      const ready = names.every((name) => {
        const metadata = topics.find((topic) => topic.name === name);
        return metadata !== undefined && metadata.partitions.every((partition) => partition.leader >= 0);
      });
      if (ready) return;
      if (Date.now() > deadline)
        throw new Error(`Kafka topics ${names.join(', ')} have no leaders after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Runs `attempt` until it succeeds, a non-retriable error, or 30 s of retriable ones (then the last, with its cause). */
async function retryRetriable<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + METADATA_WAIT_MS;
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetriableKafkaError(error, RETRIED_ON_CREATE)) throw error;
      if (Date.now() + backoff > deadline) {
        throw new Error(`could not ${what} within ${METADATA_WAIT_MS / 1000} s: ${String(error)}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

function toTopicConfig(topic: TopicSpec): ITopicConfig {
  return {
    topic: topic.name,
    numPartitions: topic.partitions,
    configEntries: topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
  };
}
