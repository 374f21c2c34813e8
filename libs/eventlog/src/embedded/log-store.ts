import type { GroupOffset, Headers, LogRecord, OutgoingRecord, TopicSpec } from '../event-log.port';
import { partitionForKey } from '../partitioner';
import { PartitionLog } from './partition-log';
import { retainedStart, trimStep } from './retention';
import type {
  BatchEntry,
  TopicEntry,
  TrimEntry,
  WalEntry,
  WalOffset,
  WalRecord,
  WalTrim,
} from './wal-entries';

const NO_HEADERS: Headers = Object.freeze({});
const RECORDS_PER_REWRITE_FRAME = 1000;

interface Topic {
  readonly spec: Required<TopicSpec>;
  readonly partitions: readonly PartitionLog[];
}

/**
 * The in-memory state of the embedded log: topics, their partitions, and the
 * committed offsets of every group. It changes only through `apply`, which
 * runs the same way when replaying the file and when writing live, so the
 * state after a restart is the state before it.
 */
export class LogStore {
  private readonly topics = new Map<string, Topic>();
  /** groupId -> topic -> committed offset per partition. */
  private readonly offsets = new Map<string, Map<string, number[]>>();
  /** topic -> groups whose members read it from the earliest offset in this process (see `subscribe`). */
  private readonly earliestGroups = new Map<string, Set<string>>();
  /** Records and offset commits applied since open; compared with the live count to decide a rewrite. */
  private appliedItems = 0;

  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  topicSpec(name: string): Required<TopicSpec> {
    return this.topic(name).spec;
  }

  partition(topic: string, partition: number): PartitionLog {
    const log = this.topic(topic).partitions[partition];
    if (!log) throw new Error(`topic ${topic} has no partition ${partition}`);
    return log;
  }

  partitions(topic: string): readonly PartitionLog[] {
    return this.topic(topic).partitions;
  }

  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.offsets.get(groupId)?.get(topic)?.[partition];
  }

  /**
   * Counts `groupId` among the groups of `topic` for retention before it has
   * committed anything, so nothing is dropped under a group that just started
   * from the earliest offset. Held in memory only: after a restart a group is
   * known again once it starts, or by the offsets it committed.
   */
  subscribe(groupId: string, topic: string): void {
    let groups = this.earliestGroups.get(topic);
    if (!groups) {
      groups = new Set();
      this.earliestGroups.set(topic, groups);
    }
    groups.add(groupId);
  }

  /**
   * The trim retention allows on the partitions `entry` appended to or
   * committed on, or undefined. Changes nothing: it takes effect through `apply`.
   */
  trimAfter(entry: BatchEntry, tailRecords: number): TrimEntry | undefined {
    const touched = new Set<PartitionLog>();
    for (const record of entry.r) touched.add(this.partition(record[0], record[1]));
    for (const offset of entry.o) touched.add(this.partition(offset[1], offset[2]));
    return this.trimOf(touched, tailRecords, trimStep(tailRecords));
  }

  /** The trim retention allows on every plain partition, however small (before a rewrite). */
  trimAll(tailRecords: number): TrimEntry | undefined {
    const all: PartitionLog[] = [];
    for (const { partitions } of this.topics.values()) all.push(...partitions);
    return this.trimOf(all, tailRecords, 1);
  }

  topicEntry(spec: TopicSpec): TopicEntry {
    return { k: 'topic', name: spec.name, partitions: spec.partitions, compacted: spec.compacted ?? false };
  }

  /**
   * Validates a write and turns it into an entry with offsets assigned.
   * Changes nothing: the entry takes effect through `apply` once written.
   */
  prepareBatch(
    records: readonly OutgoingRecord[],
    offsets: readonly GroupOffset[],
    timestamp: number,
  ): BatchEntry {
    const walRecords: WalRecord[] = new Array(records.length);
    let nextOffsets: Map<PartitionLog, number> | undefined;
    for (let index = 0; index < records.length; index += 1) {
      const record = records[index];
      const partitions = this.topic(record.topic).partitions;
      const log = partitions[partitions.length === 1 ? 0 : partitionForKey(record.key, partitions.length)];
      nextOffsets ??= new Map();
      const offset = nextOffsets.get(log) ?? log.endOffset;
      nextOffsets.set(log, offset + 1);
      const headers = record.headers && Object.keys(record.headers).length > 0 ? { ...record.headers } : null;
      walRecords[index] = [record.topic, log.partition, offset, record.key, record.value, headers, timestamp];
    }
    const walOffsets: WalOffset[] = offsets.map((committed) => {
      this.partition(committed.topic, committed.partition);
      if (!Number.isSafeInteger(committed.offset) || committed.offset < 0) {
        throw new Error(`invalid offset ${committed.offset} for ${committed.topic}/${committed.partition}`);
      }
      return [committed.groupId, committed.topic, committed.partition, committed.offset];
    });
    return { k: 'batch', r: walRecords, o: walOffsets };
  }

  /** Applies an entry (replayed or just written) and wakes readers of the partitions it appended to. */
  apply(entry: WalEntry): void {
    switch (entry.k) {
      case 'topic':
        return this.applyTopic(entry);
      case 'trim':
        for (const [topic, partition, start] of entry.s) this.partition(topic, partition).trimTo(start);
        return;
      case 'batch':
        return this.applyBatch(entry);
      case 'seal':
        return;
      default:
        return assertNever(entry);
    }
  }

  /** Whether rewriting the file would drop at least half of what it holds. */
  get worthRewriting(): boolean {
    return this.liveItems() * 2 <= this.appliedItems;
  }

  /**
   * Compacts compacted partitions in memory, then lists the entries of a
   * minimal file. Committed offsets are written one frame per group, before
   * and after the records, so one damaged frame cannot take any group's
   * offsets with it (a repair keeps the other copy).
   */
  *liveEntries(): Generator<WalEntry> {
    this.appliedItems = this.liveItems();
    const starts: WalTrim[] = [];
    for (const { spec, partitions } of this.topics.values()) {
      for (const log of partitions) {
        log.compact();
        if (log.startOffset > 0) starts.push([spec.name, log.partition, log.startOffset]);
      }
      yield { ...this.topicEntry(spec), ends: partitions.map((log) => log.endOffset) };
    }
    if (starts.length > 0) yield { k: 'trim', s: starts };
    const offsets = [...this.offsetEntries()];
    yield* offsets;
    for (const { partitions } of this.topics.values()) {
      for (const log of partitions) {
        const records = log.all();
        for (let start = 0; start < records.length; start += RECORDS_PER_REWRITE_FRAME) {
          const r = records.slice(start, start + RECORDS_PER_REWRITE_FRAME).map(toWalRecord);
          yield { k: 'batch', r, o: [] };
        }
      }
    }
    yield* offsets;
  }

  /** One offsets-only batch per group. */
  private *offsetEntries(): Generator<BatchEntry> {
    for (const [groupId, byTopic] of this.offsets) {
      const o: WalOffset[] = [];
      for (const [topic, offsets] of byTopic) {
        offsets.forEach((offset, partition) => o.push([groupId, topic, partition, offset]));
      }
      if (o.length > 0) yield { k: 'batch', r: [], o };
    }
  }

  private trimOf(
    partitions: Iterable<PartitionLog>,
    tailRecords: number,
    step: number,
  ): TrimEntry | undefined {
    const trims: WalTrim[] = [];
    for (const log of partitions) {
      // Cheap test first: most appends leave the partition within its tail.
      if (log.compacted || log.size - tailRecords < step) continue;
      const start = retainedStart(
        {
          start: log.startOffset,
          end: log.endOffset,
          groups: this.lowestGroupOffset(log.topic, log.partition),
          readers: log.lowestReaderPosition,
        },
        tailRecords,
        step,
      );
      if (start !== undefined) trims.push([log.topic, log.partition, start]);
    }
    return trims.length > 0 ? { k: 'trim', s: trims } : undefined;
  }

  /** The lowest committed offset of the topic's groups on `partition` (0 where one never committed). */
  private lowestGroupOffset(topic: string, partition: number): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const byTopic of this.offsets.values()) {
      const offsets = byTopic.get(topic);
      if (offsets) lowest = Math.min(lowest, offsets[partition] ?? 0);
    }
    for (const groupId of this.earliestGroups.get(topic) ?? []) {
      lowest = Math.min(lowest, this.committedOffset(groupId, topic, partition) ?? 0);
    }
    return lowest;
  }

  private topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`unknown topic ${name}; create it with ensureTopics first`);
    return topic;
  }

  private applyTopic(entry: TopicEntry): void {
    let topic = this.topics.get(entry.name);
    if (!topic) {
      const spec = { name: entry.name, partitions: entry.partitions, compacted: entry.compacted };
      const partitions = Array.from(
        { length: entry.partitions },
        (_, partition) => new PartitionLog(entry.name, partition, entry.compacted),
      );
      topic = { spec, partitions };
      this.topics.set(entry.name, topic);
    }
    entry.ends?.forEach((end, partition) => topic.partitions[partition]?.advanceEndTo(end));
  }

  private applyBatch(entry: BatchEntry): void {
    const touched: PartitionLog[] = [];
    for (const [topic, partition, offset, key, value, headers, timestamp] of entry.r) {
      const log = this.partition(topic, partition);
      const record: LogRecord = {
        topic,
        partition,
        offset,
        key,
        value,
        headers: headers ?? NO_HEADERS,
        timestamp,
      };
      log.append(record);
      if (!touched.includes(log)) touched.push(log);
    }
    for (const [groupId, topic, partition, offset] of entry.o) {
      let byTopic = this.offsets.get(groupId);
      if (!byTopic) {
        byTopic = new Map();
        this.offsets.set(groupId, byTopic);
      }
      let offsets = byTopic.get(topic);
      if (!offsets) {
        offsets = [];
        byTopic.set(topic, offsets);
      }
      offsets[partition] = offset;
    }
    this.appliedItems += entry.r.length + entry.o.length;
    for (const log of touched) log.notifyAppended();
  }

  private liveItems(): number {
    let items = 0;
    for (const { partitions } of this.topics.values()) for (const log of partitions) items += log.size;
    for (const byTopic of this.offsets.values())
      for (const offsets of byTopic.values()) items += offsets.length;
    return items;
  }
}

function assertNever(entry: never): never {
  throw new Error(`unknown write-ahead log entry ${JSON.stringify(entry)}`);
}

function toWalRecord(record: LogRecord): WalRecord {
  const headers = Object.keys(record.headers).length > 0 ? record.headers : null;
  return [record.topic, record.partition, record.offset, record.key, record.value, headers, record.timestamp];
}
