import type { Batch, Consumer } from '../event-log.port';

/** Records deliveries and commits of one member; a delivery of an offset below a committed one is a violation. */
export class DeliveryTracker {
  readonly processed = new Set<string>();
  readonly values: string[] = [];
  readonly violations: string[] = [];
  private attached: Consumer | undefined;

  constructor(
    readonly member: string,
    /** Committed offset per partition, shared by the members of a group. */
    readonly commits = new Map<number, number>(),
  ) {}

  attach(consumer: Consumer): void {
    this.attached = consumer;
  }

  consumer(): Consumer {
    if (!this.attached) throw new Error(`${this.member} is not started yet`);
    return this.attached;
  }

  delivered(batch: Batch): void {
    const committed = this.commits.get(batch.partition) ?? -1;
    const first = batch.records[0].offset;
    if (first < committed) {
      this.violations.push(
        `${this.member} got ${batch.partition}@${first} after offset ${committed} was committed`,
      );
    }
  }

  committed(batch: Batch, next: number): void {
    this.commits.set(batch.partition, Math.max(next, this.commits.get(batch.partition) ?? 0));
    for (const record of batch.records) {
      const id = `${record.partition}@${record.offset}`;
      if (!this.processed.has(id)) this.values.push(String(record.value));
      this.processed.add(id);
    }
  }
}
