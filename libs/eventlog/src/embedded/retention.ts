/**
 * The retention rule of a plain partition: how far its log start offset may
 * move. Pure; the log store gathers the inputs and writes the outcome to the
 * write-ahead log (a `trim` entry) before it takes effect.
 *
 * The log start may move up to the lowest of:
 * - `end - tailRecords`: the newest records stay whatever consumers did;
 * - `groups`: the committed offset of every consumer group of the topic (a
 *   group that committed on the topic, or whose member started from the
 *   earliest offset in this process), 0 for a partition it never committed,
 *   so a record no group has committed is never dropped;
 * - `readers`: the position of every live reader (fetchers, `readPartition`),
 *   so nothing is dropped under a reader, committing or not.
 * It moves only by at least `trimStep(tailRecords)` records at a time, so a
 * trim costs one small frame per many records appended.
 */
export interface RetentionInputs {
  /** The current log start offset. */
  readonly start: number;
  readonly end: number;
  /** The lowest committed offset among the topic's groups (Infinity when it has none). */
  readonly groups: number;
  /** The lowest position among the partition's live readers (Infinity when none reads). */
  readonly readers: number;
}

/** The new log start, or undefined when it should stay where it is. */
export function retainedStart(
  inputs: RetentionInputs,
  tailRecords: number,
  step: number,
): number | undefined {
  const target = Math.min(inputs.end - tailRecords, inputs.groups, inputs.readers);
  return target - inputs.start >= step ? target : undefined;
}

/** A quarter of the tail (at least one record): memory holds at most tail + step beyond what groups need. */
export function trimStep(tailRecords: number): number {
  return Math.max(1, Math.ceil(tailRecords / 4));
}
