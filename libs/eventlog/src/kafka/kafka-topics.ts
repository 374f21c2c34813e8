import type { Admin, ITopicConfig } from 'kafkajs';
import type { TopicSpec } from '../event-log.port';

const METADATA_WAIT_MS = 30_000;

/** Topic administration and the partition-count cache the producers route with. */
export class KafkaTopics {
  private readonly counts = new Map<string, Promise<number>>();

  constructor(private readonly admin: Admin) {}

  /**
   * Creates the missing topics, then waits until the metadata shows every
   * partition of every requested topic with a leader. kafkajs's own
   * `waitForLeaders` is skipped when any topic already existed (it reports
   * TOPIC_ALREADY_EXISTS for the whole call), so the wait is done here.
   */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    if (topics.length === 0) return;
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
      count = this.fetchPartitionCount(topic);
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

function toTopicConfig(topic: TopicSpec): ITopicConfig {
  return {
    topic: topic.name,
    numPartitions: topic.partitions,
    configEntries: topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
  };
}
