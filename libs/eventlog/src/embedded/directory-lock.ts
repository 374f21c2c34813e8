import * as fs from 'node:fs';
import * as path from 'node:path';
import { processIsGone, processStartTime } from './process-liveness';

const LOCK_FILE = 'LOCK';
/** Directories locked by this process, so a second `open` in the same process is refused too. */
const lockedHere = new Set<string>();

interface LockOwner {
  readonly pid: number;
  /** Start time of the owner process (Linux `/proc/<pid>/stat` field 22), to tell a reused pid apart. */
  readonly startedAt?: string;
}

/**
 * An exclusive lock on a log directory: a `LOCK` file created with `O_EXCL`
 * holding the owner's pid. A lock whose owner is gone (killed with SIGKILL,
 * so it never removed the file) is stale and is taken over (see
 * `processIsGone`: a killed owner not yet reaped counts as gone, so a restart
 * right after SIGKILL opens).
 *
 * Known limit: two processes taking over the same stale lock at the same
 * instant can both succeed; start one process per directory.
 */
export class DirectoryLock {
  private released = false;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  static acquire(dir: string): DirectoryLock {
    const resolved = fs.realpathSync(dir);
    if (lockedHere.has(resolved))
      throw new Error(`event log directory ${dir} is already open in this process`);
    const file = path.join(resolved, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const fd = fs.openSync(file, 'wx');
        try {
          const owner: LockOwner = { pid: process.pid, startedAt: processStartTime(process.pid) };
          fs.writeSync(fd, JSON.stringify(owner));
        } finally {
          fs.closeSync(fd);
        }
        lockedHere.add(resolved);
        return new DirectoryLock(resolved, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(file);
      if (owner && !processIsGone(owner.pid, owner.startedAt)) {
        throw new Error(`event log directory ${dir} is locked by process ${owner.pid} (${file})`);
      }
      fs.rmSync(file, { force: true });
    }
    throw new Error(`could not lock event log directory ${dir}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    fs.rmSync(this.file, { force: true });
    lockedHere.delete(this.dir);
  }
}

/** The lock's owner, or undefined if the file is unreadable (torn by a kill while being written). */
function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}
