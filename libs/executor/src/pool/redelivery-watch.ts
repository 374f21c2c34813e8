import type { LogRecord, TopicPartition } from '@baton/eventlog';

export function partitionKey(at: TopicPartition): string {
  return `${at.topic}\u0000${at.partition}`;
}

/**
 * Tells which step tasks may be redeliveries, whose start the executor has
 * the engine confirm before running them (TASK_PROTOCOL.md, "Redelivered
 * tasks"). Everything else starts optimistically, with no extra round trip:
 *
 * - the first task taken from a partition after this member got it, or after
 *   a batch of it failed here: a member takes a partition's tasks one by one
 *   and commits each offset right after the launch, so only that first task
 *   can have been started by someone (a dead member, or this one) before;
 * - a task older than `maxFreshAgeMs` (by the log's append time): fresh tasks
 *   are read moments after the engine wrote them, while an old one is a
 *   backlog or a re-read after the group's offsets were lost or reset, which
 *   may hold tasks of runs that ended long ago.
 */
export class RedeliveryWatch {
  private readonly suspect = new Set<string>();

  constructor(private readonly maxFreshAgeMs: number) {}

  suspectPartitions(partitions: readonly TopicPartition[]): void {
    for (const partition of partitions) this.suspect.add(partitionKey(partition));
  }

  /** Whether `record`'s start must be confirmed; a partition's suspicion ends with its first record. */
  mustConfirm(record: LogRecord, now: number): boolean {
    const first = this.suspect.delete(partitionKey(record));
    return first || now - record.timestamp >= this.maxFreshAgeMs;
  }
}
