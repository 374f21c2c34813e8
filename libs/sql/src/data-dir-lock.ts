import { resolve } from 'node:path';
import { PidLockFile } from '@baton/eventlog/embedded/pid-lock-file';

/**
 * An exclusive, process-level lock on a PGlite data directory: a
 * `<dataDir>.lock` `PidLockFile`. PGlite itself takes no lock, and two
 * processes writing one data directory corrupt it. A lock left by a killed
 * process is taken over, so a restart right after `kill -9` just works.
 */
export class DataDirLock {
  private constructor(private readonly lock: PidLockFile) {}

  static acquire(dataDir: string): DataDirLock {
    const subject = `PGlite data directory ${resolve(dataDir)}`;
    const hint = 'one process at a time (remove the file only if that process is not Baton)';
    return new DataDirLock(PidLockFile.acquire(`${resolve(dataDir)}.lock`, { subject, hint }));
  }

  release(): void {
    this.lock.release();
  }
}
