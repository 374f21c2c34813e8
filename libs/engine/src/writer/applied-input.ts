import { partitionForKey } from '@baton/eventlog';

/**
 * Per input partition, the next input offset not yet applied to the states,
 * kept as one more record of the state topic and written in the same
 * transaction as the snapshots it covers. A restore therefore always reads a
 * position consistent with the states it restores, whatever the consumer's
 * committed offset says: a command below it is already in the states and is
 * skipped, so a redelivery (a stale committed offset after a takeover, see
 * KAFKA-17507) can never be decided twice.
 */
export interface AppliedInput {
  readonly partition: number;
  /** The first input offset whose command is not yet in the states. */
  readonly next: number;
}

const PREFIX = '\u0000baton.applied-input.';
const keys = new Map<string, string>();

/** Whether a state-topic key is an applied-input record, not a keyed state. */
export function isAppliedInputKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

/**
 * The record's key for partition `partition` of a state topic with
 * `partitionCount` partitions: the first of `<prefix><n>` that the
 * partitioner routes there, so the record lands beside the states it covers.
 */
export function appliedInputKey(partition: number, partitionCount: number): string {
  const cacheKey = `${partition}/${partitionCount}`;
  const cached = keys.get(cacheKey);
  if (cached) return cached;
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount)
    throw new Error(`partition ${partition} is not one of ${partitionCount}`);
  for (let n = 0; ; n++) {
    const key = `${PREFIX}${n}`;
    if (partitionForKey(key, partitionCount) !== partition) continue;
    keys.set(cacheKey, key);
    return key;
  }
}

export function encodeAppliedInput(applied: AppliedInput): string {
  return JSON.stringify(applied);
}

/** Null for a record written for another partition (the partition count changed) or not readable. */
export function decodeAppliedInput(json: string | null, partition: number): AppliedInput | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Partial<AppliedInput>;
    if (value.partition !== partition || typeof value.next !== 'number' || !Number.isInteger(value.next))
      return null;
    return { partition, next: value.next };
  } catch {
    return null;
  }
}
