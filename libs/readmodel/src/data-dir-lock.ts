import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { processIsGone } from '@baton/eventlog/embedded/process-liveness';

/**
 * An exclusive, process-level lock on a PGlite data directory: a
 * `<dataDir>.lock` file holding the owner's pid, created with O_EXCL. PGlite
 * itself takes no lock, and two processes writing one data directory corrupt
 * it. A lock left by a killed process (gone, or dying and not yet reaped:
 * see `processIsGone`) is taken over, so a restart right after `kill -9` just works.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    const path = `${resolve(dataDir)}.lock`;
    mkdirSync(dirname(path), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(path, 'utf8'));
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !processIsGone(owner)) {
          throw new Error(
            `PGlite data directory ${resolve(dataDir)} is in use by process ${owner}; ` +
              `one process at a time (remove ${path} only if that process is not Baton)`,
          );
        }
        if (owner === process.pid) {
          throw new Error(`PGlite data directory ${resolve(dataDir)} is already open in this process`);
        }
        rmSync(path, { force: true }); // stale: its owner died without releasing it
      }
    }
    throw new Error(`could not lock ${path}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}
