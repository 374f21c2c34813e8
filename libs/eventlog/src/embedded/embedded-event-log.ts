import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  Consumer,
  ConsumerOptions,
  EventLog,
  GroupOffset,
  LogRecord,
  OutgoingRecord,
  PartitionOffsets,
  Producer,
  TopicSpec,
  TransactionalProducer,
} from '../event-log.port';
import { ConsumerGroup } from './consumer-group';
import { DirectoryLock } from './directory-lock';
import { EmbeddedConsumer, type ConsumerHost } from './embedded-consumer';
import { EmbeddedProducer, EmbeddedTransactionalProducer, type ProducerHost } from './embedded-producers';
import { FetchTurns } from './fetch-turns';
import { LogStore } from './log-store';
import type { FetcherSettings } from './partition-fetcher';
import { TransactionalIds } from './transactional-ids';
import type { TrimEntry } from './wal-entries';
import { WriteAheadLog, type FsyncMode } from './write-ahead-log';

export interface EmbeddedEventLogOptions {
  /** Directory holding the log (`events.wal`) and its `LOCK`; created if missing. */
  readonly dir: string;
  /**
   * When an acknowledged write is on disk (see `FsyncMode`): `'batch'`
   * (default) waits for `fdatasync`, grouped, and survives power loss;
   * `'interval'` syncs every `fsyncIntervalMs`; `'never'` leaves it to the
   * kernel. Every mode survives the process being killed (SIGKILL, OOM).
   */
  readonly fsync?: FsyncMode;
  /** For `fsync: 'interval'`. Default 1 000. */
  readonly fsyncIntervalMs?: number;
  /** Most records per delivered batch. Default 500. */
  readonly maxBatchRecords?: number;
  /**
   * Plain topics: the newest records of each partition kept even once every
   * consumer group has committed past them (see `retention.ts` for the rule).
   * Default 1 000; `Infinity` keeps every record, for a read-model rebuild
   * from the log.
   */
  readonly retainRecords?: number;
  /** The file is rewritten once it has grown by this much and at least doubled since the last rewrite. Default 64 MiB. */
  readonly compactThresholdBytes?: number;
  /** First back-off after `eachBatch` or `onAssigned` throws; doubles per failure. Default 100. */
  readonly retryBackoffMs?: number;
  /** Default 1 000. */
  readonly maxRetryBackoffMs?: number;
  /** Where handler failures, a truncated torn tail and a migrated file are reported. Default `console.warn`. */
  readonly onWarning?: (message: string, error?: unknown) => void;
}

const WAL_FILE = 'events.wal';
/**
 * How long fetch loops may keep the event loop busy before Node gets a turn
 * for sockets and timers (see `FetchTurns`). Measured with the fan-out
 * benchmark (docs/benchmarks.md): 5 ms keeps API reads fast at a small cost in throughput.
 */
const FETCH_SLICE_MS = 5;

/**
 * The event log of Baton's one-process default: Kafka's semantics (see the
 * port) in memory, made durable by one write-ahead log file.
 *
 * Durability and atomicity: every `send`, transaction and offset commit is
 * one checksummed frame written with one `write` before anything becomes
 * visible; a frame torn by a kill is cut off on open, so each is all or
 * nothing. Any other damage refuses to open (`WalDamageError`, and
 * `log-maintenance.ts` for the way out). Opening replays the file through
 * the same `apply` used live.
 * Zombie fencing is an epoch check done in the same synchronous step as the
 * write. A `LOCK` file keeps a second process out.
 *
 * Bounded: compacted topics (latest value per key, tombstones dropped on
 * compaction, in memory and in the file), committed offsets (latest per
 * group and partition; the file's history of commits is dropped by a
 * rewrite) and plain topics: each partition keeps what some consumer group
 * has not committed or a live reader has not read, plus its newest
 * `retainRecords`; older records are trimmed (a `trim` frame, so a restart
 * does not load them back) and left out of the next rewrite.
 *
 * @example
 *   const log = await EmbeddedEventLog.open({ dir: '.baton/log' });
 *   await log.ensureTopics([{ name: 'baton.run-commands', partitions: 8 }]);
 */
export class EmbeddedEventLog implements EventLog {
  private readonly store = new LogStore();
  private readonly transactionalIds = new TransactionalIds();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly consumers = new Set<EmbeddedConsumer>();
  private readonly settings: FetcherSettings;
  private readonly producerHost: ProducerHost;
  private readonly consumerHost: ConsumerHost;
  private wal!: WriteAheadLog;
  private closed = false;

  private constructor(
    private readonly options: EmbeddedEventLogOptions,
    private readonly lock: DirectoryLock,
  ) {
    this.settings = {
      maxBatchRecords: options.maxBatchRecords ?? 500,
      retryBackoffMs: options.retryBackoffMs ?? 100,
      maxRetryBackoffMs: options.maxRetryBackoffMs ?? 1_000,
      onWarning: options.onWarning ?? ((message, error) => console.warn(message, error ?? '')),
      turns: new FetchTurns(FETCH_SLICE_MS),
    };
    this.producerHost = {
      write: (records, offsets) => this.write(records, offsets),
      validate: (records, offsets) => void this.store.prepareBatch(records, offsets, 0),
      transactionalIds: this.transactionalIds,
    };
    this.consumerHost = {
      store: this.store,
      settings: this.settings,
      group: (groupId) => this.groupFor(groupId),
      commitOffsets: (offsets) => this.write([], offsets),
      forget: (consumer) => this.consumers.delete(consumer),
    };
  }

  /**
   * Locks `dir`, replays its log (cutting off a torn tail, refusing any other
   * damage), migrates a version-1 file and rewrites it if mostly garbage.
   */
  static async open(options: EmbeddedEventLogOptions): Promise<EmbeddedEventLog> {
    fs.mkdirSync(options.dir, { recursive: true });
    const lock = DirectoryLock.acquire(options.dir);
    try {
      const log = new EmbeddedEventLog(options, lock);
      const file = path.join(options.dir, WAL_FILE);
      log.wal = WriteAheadLog.open(
        file,
        {
          fsync: options.fsync ?? 'batch',
          intervalMs: options.fsyncIntervalMs,
          onTruncated: (bytes) =>
            log.settings.onWarning(
              `dropped a torn tail of ${bytes} bytes (one frame cut short at the end, never synced) from ${file}`,
            ),
        },
        (entry) => log.store.apply(entry),
      );
      if (log.wal.openedVersion !== 2) {
        // Frames are appended in the file's own format: a version-1 file is rewritten before any.
        log.wal.rewrite(log.store.liveEntries());
        log.settings.onWarning(`migrated ${file} from format version ${log.wal.openedVersion} to 2`);
      } else if (log.wal.bytes >= log.compactThreshold && log.store.worthRewriting)
        log.wal.rewrite(log.store.liveEntries());
      return log;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    const pending: Promise<void>[] = [];
    for (const spec of topics) {
      if (this.store.hasTopic(spec.name)) continue;
      if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
        throw new Error(`topic ${spec.name} needs a positive number of partitions`);
      }
      const entry = this.store.topicEntry(spec);
      const synced = this.wal.append(entry);
      this.store.apply(entry);
      if (synced) pending.push(synced);
    }
    await Promise.all(pending);
  }

  async partitionCount(topic: string): Promise<number> {
    return this.store.topicSpec(topic).partitions;
  }

  async producer(): Promise<Producer> {
    this.assertOpen();
    return new EmbeddedProducer(this.producerHost);
  }

  async transactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    this.assertOpen();
    return new EmbeddedTransactionalProducer(
      this.producerHost,
      transactionalId,
      this.transactionalIds.open(transactionalId),
    );
  }

  consumer(options: ConsumerOptions): Consumer {
    this.assertOpen();
    const consumer = new EmbeddedConsumer(this.consumerHost, options);
    this.consumers.add(consumer);
    return consumer;
  }

  /** Below the log start offset, reads from it (Kafka's `earliest`); retention trims nothing under a read in progress. */
  async *readPartition(topic: string, partition: number, fromOffset = 0): AsyncIterable<LogRecord> {
    const log = this.store.partition(topic, partition);
    const end = log.endOffset;
    const reader = { position: fromOffset };
    log.track(reader);
    try {
      while (reader.position < end) {
        const records = log.read(reader.position, this.settings.maxBatchRecords);
        if (records.length === 0) return;
        reader.position = records[records.length - 1].offset + 1;
        for (const record of records) {
          if (record.offset >= end) return;
          yield record;
        }
      }
    } finally {
      log.untrack(reader);
    }
  }

  /**
   * This log's identity, kept across rewrites and repairs: a read model built
   * from another log (or before this one was created) is told apart by it.
   */
  get logId(): string {
    return this.wal.logId;
  }

  /** Whether this open created the log because `dir` held none. */
  get createdOnOpen(): boolean {
    return this.wal.created;
  }

  /** The group's committed offset (next record to read), if any. Not part of the port: for tools and tests. */
  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.store.committedOffset(groupId, topic, partition);
  }

  async partitionOffsets(topic: string, partition: number): Promise<PartitionOffsets> {
    return this.logOffsets(topic, partition);
  }

  /** As `partitionOffsets`, synchronously (for tests). */
  logOffsets(topic: string, partition: number): PartitionOffsets {
    const log = this.store.partition(topic, partition);
    return { start: log.startOffset, end: log.endOffset };
  }

  /** Compacts compacted topics, trims plain ones as far as retention allows, and rewrites the file with only the live state. */
  async compact(): Promise<void> {
    this.assertOpen();
    this.trim(this.store.trimAll(this.retainRecords));
    this.wal.rewrite(this.store.liveEntries());
  }

  /** Stops every consumer (each runs `onRevoked`), closes the file and releases the lock. */
  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.closed = true;
    await this.wal.close();
    this.lock.release();
  }

  private get compactThreshold(): number {
    return this.options.compactThresholdBytes ?? 64 * 1024 * 1024;
  }

  private get retainRecords(): number {
    return this.options.retainRecords ?? 1_000;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the embedded event log is closed');
  }

  private write(records: readonly OutgoingRecord[], offsets: readonly GroupOffset[]): Promise<void> {
    this.assertOpen();
    const entry = this.store.prepareBatch(records, offsets, Date.now());
    const synced = this.wal.append(entry);
    this.store.apply(entry);
    this.trim(this.store.trimAfter(entry, this.retainRecords));
    const { bytesSinceRewrite, bytes } = this.wal;
    if (bytesSinceRewrite >= this.compactThreshold && bytesSinceRewrite * 2 >= bytes) {
      this.trim(this.store.trimAll(this.retainRecords));
      this.wal.rewrite(this.store.liveEntries());
    }
    return synced ?? Promise.resolve();
  }

  /**
   * Writes then applies a trim. Not acknowledged to anyone: if it fails or is
   * lost in a crash, the records stay, which is safe, so a failure is only
   * reported (the next write meets a broken file anyway).
   */
  private trim(entry: TrimEntry | undefined): void {
    if (!entry) return;
    try {
      void this.wal.append(entry)?.catch(() => undefined);
      this.store.apply(entry);
    } catch (error) {
      this.settings.onWarning('could not write a retention trim; the records are kept', error);
    }
  }

  private groupFor(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup(groupId, (topic) => this.store.topicSpec(topic).partitions);
      this.groups.set(groupId, group);
    }
    return group;
  }
}
