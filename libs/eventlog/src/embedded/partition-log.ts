import type { LogRecord } from '../event-log.port';

/** Below this many superseded records a compacted partition is not worth compacting. */
const MIN_SUPERSEDED_TO_COMPACT = 1024;

/** A live reader of a partition: `position` is the next offset it will read. Retention keeps it readable. */
export interface PartitionReader {
  position: number;
}

/**
 * The records of one partition, in memory, in offset order.
 *
 * Invariants: `records[head..]` is sorted by offset with no duplicates, and
 * holds every record kept, all at or above `start` and below `end`
 * (`records[..head]` are trimmed ones not yet dropped from the array); on a
 * compacted partition `latest` maps each key to the offset of its newest
 * record, and `superseded` counts the records (older values and tombstones)
 * that a compaction would drop.
 *
 * Plain partitions keep records from their log start offset on; the log
 * moves it forward (`trimTo`, see `retention.ts`) and a read below it starts
 * at it, as Kafka's `earliest`. Compacted partitions are never trimmed: they
 * compact themselves once superseded records outnumber live ones, so they
 * hold O(live keys) records, amortised O(1) per append.
 */
export class PartitionLog {
  private records: LogRecord[] = [];
  private head = 0;
  private start = 0;
  private next = 0;
  private readonly latest: Map<string, number> | undefined;
  private superseded = 0;
  private appended: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly readers = new Set<PartitionReader>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly compacted: boolean,
  ) {
    this.latest = compacted ? new Map() : undefined;
  }

  /** The offset the next appended record gets. */
  get endOffset(): number {
    return this.next;
  }

  /** The log start offset: records below it are gone (0 until retention trims the partition). */
  get startOffset(): number {
    return this.start;
  }

  /** Records held in memory (including superseded ones not yet compacted away). */
  get size(): number {
    return this.records.length - this.head;
  }

  /** The lowest position of a live reader, Infinity when none reads. */
  get lowestReaderPosition(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const reader of this.readers) if (reader.position < lowest) lowest = reader.position;
    return lowest;
  }

  /** Keeps `reader.position` readable by retention until `untrack`. */
  track(reader: PartitionReader): void {
    this.readers.add(reader);
  }

  untrack(reader: PartitionReader): void {
    this.readers.delete(reader);
  }

  /** Appends a record whose offset was assigned by the caller (at least `endOffset`). */
  append(record: LogRecord): void {
    this.records.push(record);
    // A rewrite restores the end before the records, which may stop short of it.
    if (record.offset >= this.next) this.next = record.offset + 1;
    if (!this.latest) return;
    if (this.latest.has(record.key)) this.superseded += 1;
    if (record.value === null) this.superseded += 1;
    this.latest.set(record.key, record.offset);
    if (this.superseded >= MIN_SUPERSEDED_TO_COMPACT && this.superseded >= this.records.length / 2) {
      this.compact();
    }
  }

  /** Moves the end forward without records (a rewrite keeps the end of a compacted partition). */
  advanceEndTo(end: number): void {
    if (end > this.next) this.next = end;
  }

  /** Up to `max` records with offset >= `from` (and >= the log start), in order. */
  read(from: number, max: number): LogRecord[] {
    if (from >= this.next) return [];
    const start = this.indexOf(from);
    return this.records.slice(start, start + max);
  }

  /** Resolves at the next `notifyAppended` (shared by every waiter, so appends cost O(1)). */
  nextAppend(): Promise<void> {
    if (!this.appended) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.appended = { promise, resolve };
    }
    return this.appended.promise;
  }

  /** Wakes waiters; called once per applied batch, after its records are readable. */
  notifyAppended(): void {
    const appended = this.appended;
    if (!appended) return;
    this.appended = undefined;
    appended.resolve();
  }

  /**
   * Moves the log start forward to `offset` (at most the end) and forgets the
   * records below it. Never moves it back.
   */
  trimTo(offset: number): void {
    if (this.compacted)
      throw new Error(`compacted partition ${this.topic}/${this.partition} cannot be trimmed`);
    const start = Math.min(offset, this.next);
    if (start <= this.start) return;
    this.start = start;
    this.head = this.indexOf(start);
    // Copy the kept records out once the trimmed ones are at least as many: amortised O(1) per record.
    if (this.head * 2 >= this.records.length) this.dropTrimmed();
  }

  /**
   * Drops superseded values and tombstones. Offsets of kept records do not
   * change; readers holding a position keep reading from there.
   */
  compact(): void {
    const latest = this.latest;
    if (!latest || this.superseded === 0) return;
    const kept: LogRecord[] = [];
    for (const record of this.records) {
      if (latest.get(record.key) !== record.offset) continue;
      if (record.value === null) latest.delete(record.key);
      else kept.push(record);
    }
    this.records = kept;
    this.superseded = 0;
  }

  /** Every record held, in offset order. */
  all(): readonly LogRecord[] {
    this.dropTrimmed();
    return this.records;
  }

  private dropTrimmed(): void {
    if (this.head === 0) return;
    this.records = this.records.slice(this.head);
    this.head = 0;
  }

  /** Index of the first kept record with offset >= `offset` (binary search: offsets may have gaps). */
  private indexOf(offset: number): number {
    const records = this.records;
    let low = this.head;
    let high = records.length;
    // Fast path: no gaps between the first kept record and the wanted offset.
    const guess = low + offset - (low < high ? records[low].offset : 0);
    if (guess >= low && guess < high && records[guess].offset === offset) return guess;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (records[middle].offset < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
