import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { Headers, LogRecord, OutgoingRecord } from '../event-log.port';
import { partitionForKey } from '../partitioner';

/** Partition counts per topic; a topic's count never changes under Baton (topics are not re-partitioned). */
export type PartitionCounts = (topic: string) => Promise<number>;

/**
 * Groups records by topic, each carrying its partition from `partitionForKey`:
 * routing is ours, not kafkajs's partitioner (whose default changed between
 * major versions). Order within a topic is the caller's order.
 */
export async function toTopicMessages(
  records: readonly OutgoingRecord[],
  partitionCounts: PartitionCounts,
): Promise<TopicMessages[]> {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    const count = await partitionCounts(record.topic);
    let messages = byTopic.get(record.topic);
    if (!messages) {
      messages = [];
      byTopic.set(record.topic, messages);
    }
    messages.push({
      key: record.key,
      value: record.value,
      partition: partitionForKey(record.key, count),
      headers: record.headers ? { ...record.headers } : undefined,
    });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key === null ? '' : message.key.toString('utf8'),
    value: message.value === null ? null : message.value.toString('utf8'),
    headers: toHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

function toHeaders(headers: IHeaders | undefined): Headers {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    // A header sent twice arrives as an array; the port has one value per name, the last wins.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    result[name] = last.toString();
  }
  return result;
}
