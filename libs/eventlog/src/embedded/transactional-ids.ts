/**
 * Owners of transactional ids. Opening an id bumps its epoch; a producer may
 * write only while its epoch is the current one, so opening an id again fences
 * every earlier producer of it (a zombie that still thinks it owns a partition).
 *
 * Epochs live in memory only: a producer never outlives its process, and two
 * processes never share a log directory (see `DirectoryLock`), so after a
 * restart there is no earlier producer left to fence.
 */
export class TransactionalIds {
  private readonly epochs = new Map<string, number>();

  /** Takes ownership of `transactionalId`; returns the new owner's epoch. */
  open(transactionalId: string): number {
    const epoch = (this.epochs.get(transactionalId) ?? 0) + 1;
    this.epochs.set(transactionalId, epoch);
    return epoch;
  }

  isCurrent(transactionalId: string, epoch: number): boolean {
    return this.epochs.get(transactionalId) === epoch;
  }
}
