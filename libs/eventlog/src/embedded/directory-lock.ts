import * as fs from 'node:fs';
import * as path from 'node:path';
import { PidLockFile } from './pid-lock-file';

const LOCK_FILE = 'LOCK';

/** An exclusive lock on a log directory: its `LOCK` file, a `PidLockFile`. */
export class DirectoryLock {
  private constructor(private readonly lock: PidLockFile) {}

  static acquire(dir: string): DirectoryLock {
    const file = path.join(fs.realpathSync(dir), LOCK_FILE);
    return new DirectoryLock(PidLockFile.acquire(file, { subject: `event log directory ${dir}` }));
  }

  release(): void {
    this.lock.release();
  }
}
