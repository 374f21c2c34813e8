/**
 * What one frame of the write-ahead log carries. A frame is the unit of
 * atomicity: a `send` or a transaction is exactly one frame, so it is either
 * wholly in the file or (torn tail, truncated on open) wholly absent.
 *
 * Entries are plain JSON, arrays rather than objects to keep them small. The
 * format is versioned by the `k` discriminator; a new shape gets a new `k`.
 */
export type WalEntry = TopicEntry | BatchEntry | TrimEntry | SealEntry;

/** A topic was created; `ends` (written by a rewrite) restores the next offset of each partition. */
export interface TopicEntry {
  readonly k: 'topic';
  readonly name: string;
  readonly partitions: number;
  readonly compacted: boolean;
  readonly ends?: readonly number[];
}

/** Records appended and offsets committed together (a `send`, a transaction, a `Consumer.commit`). */
export interface BatchEntry {
  readonly k: 'batch';
  readonly r: readonly WalRecord[];
  readonly o: readonly WalOffset[];
}

/**
 * Log start offsets moved forward by retention (plain topics only): records
 * below are dropped, on replay as they were live, so a restart does not
 * bring them back. A rewrite writes one for every trimmed partition.
 */
export interface TrimEntry {
  readonly k: 'trim';
  readonly s: readonly WalTrim[];
}

/**
 * Carries nothing: ends a sealed file (a rewrite, a clean close), so that
 * cutting the last bytes of such a file tears this frame, not one with data.
 */
export interface SealEntry {
  readonly k: 'seal';
}

/** topic, partition, new log start offset. */
export type WalTrim = readonly [string, number, number];

/** topic, partition, offset, key, value, headers (null when empty), timestamp. */
export type WalRecord = readonly [
  string,
  number,
  number,
  string,
  string | null,
  Readonly<Record<string, string>> | null,
  number,
];

/** groupId, topic, partition, next offset to read. */
export type WalOffset = readonly [string, string, number, number];

export function encodeEntry(entry: WalEntry): string {
  return JSON.stringify(entry);
}

const ENTRY_KINDS = new Set<unknown>(['topic', 'batch', 'trim', 'seal'] satisfies WalEntry['k'][]);

export function decodeEntry(payload: string): WalEntry {
  const entry = JSON.parse(payload) as WalEntry;
  if (!ENTRY_KINDS.has(entry.k)) {
    throw new Error(`unknown write-ahead log entry kind ${String((entry as { k: unknown }).k)}`);
  }
  return entry;
}
