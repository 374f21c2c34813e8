import {
  ProducerFencedError,
  type GroupOffset,
  type OutgoingRecord,
  type Producer,
  type TransactionalProducer,
  type TransactionWork,
} from '../event-log.port';
import type { TransactionalIds } from './transactional-ids';

/** How producers reach the log: validate and write one atomic entry, or validate only. */
export interface ProducerHost {
  /** Writes records and offsets as one frame; resolves once acknowledged (durable per the fsync mode). */
  write(records: readonly OutgoingRecord[], offsets: readonly GroupOffset[]): Promise<void>;
  /** Throws what `write` would throw, writes nothing. */
  validate(records: readonly OutgoingRecord[], offsets: readonly GroupOffset[]): void;
  readonly transactionalIds: TransactionalIds;
}

export class EmbeddedProducer implements Producer {
  private closed = false;

  constructor(private readonly host: ProducerHost) {}

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) throw new Error('producer is closed');
    if (records.length > 0) await this.host.write(records, []);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * A transaction is one frame of the write-ahead log: records on any topics and
 * the offsets, checked against the fence and written in the same synchronous
 * step, so nothing can interleave between the epoch check and the write.
 */
export class EmbeddedTransactionalProducer implements TransactionalProducer {
  private closed = false;

  constructor(
    private readonly host: ProducerHost,
    readonly transactionalId: string,
    private readonly epoch: number,
  ) {}

  async commit(work: TransactionWork): Promise<void> {
    this.checkOwnership();
    await this.host.write(work.records, offsetsOf(work));
  }

  /** The records are never written: an aborted transaction leaves nothing in the file or in memory. */
  async abortAfterWriting(work: TransactionWork): Promise<void> {
    this.checkOwnership();
    this.host.validate(work.records, offsetsOf(work));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOwnership(): void {
    if (this.closed) throw new Error(`transactional producer ${this.transactionalId} is closed`);
    if (!this.host.transactionalIds.isCurrent(this.transactionalId, this.epoch)) {
      throw new ProducerFencedError(this.transactionalId);
    }
  }
}

function offsetsOf(work: TransactionWork): readonly GroupOffset[] {
  if (!work.offsets) return [];
  return Array.isArray(work.offsets) ? work.offsets : [work.offsets as GroupOffset];
}
