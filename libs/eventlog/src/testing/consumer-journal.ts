import type { Batch, TopicPartition } from '../event-log.port';

export type JournalEntry =
  | {
      readonly member: string;
      readonly kind: 'assigned' | 'revoked';
      readonly partitions: readonly TopicPartition[];
    }
  | {
      readonly member: string;
      readonly kind: 'batch';
      readonly topic: string;
      readonly partition: number;
      readonly offsets: readonly number[];
    };

/**
 * The ordered history of what consumers saw (assignments, revocations,
 * batches), shared by several members, and the checks a history must pass.
 *
 * @example
 *   const journal = new ConsumerJournal();
 *   log.consumer({ groupId, topics, ...journal.hooks('a'), eachBatch: async (batch) => journal.batch('a', batch) });
 *   expect(journal.problems()).toEqual([]);
 */
export class ConsumerJournal {
  readonly entries: JournalEntry[] = [];

  hooks(member: string): {
    onAssigned: (partitions: readonly TopicPartition[]) => Promise<void>;
    onRevoked: (partitions: readonly TopicPartition[]) => Promise<void>;
  } {
    return {
      onAssigned: async (partitions) =>
        void this.entries.push({ member, kind: 'assigned', partitions: [...partitions] }),
      onRevoked: async (partitions) =>
        void this.entries.push({ member, kind: 'revoked', partitions: [...partitions] }),
    };
  }

  batch(member: string, batch: Batch): void {
    const offsets = batch.records.map((record) => record.offset);
    this.entries.push({ member, kind: 'batch', topic: batch.topic, partition: batch.partition, offsets });
  }

  /** Partitions `member` owns according to its last assignments and revocations. */
  owned(member: string): Set<string> {
    const owned = new Set<string>();
    for (const entry of this.entries) {
      if (entry.member !== member || entry.kind === 'batch') continue;
      for (const { topic, partition } of entry.partitions) {
        if (entry.kind === 'assigned') owned.add(`${topic}/${partition}`);
        else owned.delete(`${topic}/${partition}`);
      }
    }
    return owned;
  }

  /** Every batch delivered to a member that did not own its partition at the time (assigned, not yet revoked). */
  problems(): string[] {
    const owned = new Map<string, Set<string>>();
    const problems: string[] = [];
    this.entries.forEach((entry, index) => {
      const mine = owned.get(entry.member) ?? new Set<string>();
      owned.set(entry.member, mine);
      if (entry.kind === 'batch') {
        const key = `${entry.topic}/${entry.partition}`;
        if (!mine.has(key))
          problems.push(`#${index}: ${entry.member} got a batch of ${key} without owning it`);
        return;
      }
      for (const { topic, partition } of entry.partitions) {
        if (entry.kind === 'assigned') mine.add(`${topic}/${partition}`);
        else mine.delete(`${topic}/${partition}`);
      }
    });
    return problems;
  }
}
