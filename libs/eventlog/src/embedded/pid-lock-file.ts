import * as fs from 'node:fs';
import * as path from 'node:path';
import { processIsGone, processStartTime } from './process-liveness';

/** Lock files held by this process, so a second `acquire` in the same process is refused too. */
const heldHere = new Set<string>();

interface LockOwner {
  readonly pid: number;
  /** Start time of the owner process (Linux `/proc/<pid>/stat` field 22), to tell a reused pid apart. */
  readonly startedAt?: string;
}

/** What a refusal says: `subject` names the thing locked, e.g. `event log directory /data/log`. */
export interface PidLockOptions {
  readonly subject: string;
  /** Added to the "held by process N" refusal: what to do about it. */
  readonly hint?: string;
}

/**
 * An exclusive, process-level lock: a file created with `O_EXCL` holding
 * `{ pid, startedAt }` of its owner. A lock whose owner is gone (killed with
 * SIGKILL, so it never removed the file) is stale and is taken over (see
 * `processIsGone`: a killed owner not yet reaped counts as gone, so a restart
 * right after SIGKILL opens). The one implementation behind the embedded
 * log's `LOCK` and PGlite's `<dataDir>.lock`.
 *
 * Why not `proper-lockfile`: it judges staleness by an mtime it refreshes on
 * a timer, so a lock of a process killed a moment ago stays taken until the
 * stale period passes; a pid tells at once.
 *
 * Known limit: two processes taking over the same stale lock at the same
 * instant can both succeed; start one process per directory.
 *
 * @example
 *   const lock = PidLockFile.acquire('/data/log/LOCK', { subject: 'event log directory /data/log' });
 *   try { ... } finally { lock.release(); }
 */
export class PidLockFile {
  private released = false;

  private constructor(readonly file: string) {}

  static acquire(file: string, options: PidLockOptions): PidLockFile {
    const resolved = path.resolve(file);
    if (heldHere.has(resolved)) throw new Error(`${options.subject} is already open in this process`);
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const fd = fs.openSync(resolved, 'wx');
        try {
          const owner: LockOwner = { pid: process.pid, startedAt: processStartTime(process.pid) };
          fs.writeSync(fd, JSON.stringify(owner));
        } finally {
          fs.closeSync(fd);
        }
        heldHere.add(resolved);
        return new PidLockFile(resolved);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(resolved);
      if (owner && !processIsGone(owner.pid, owner.startedAt)) {
        const hint = options.hint === undefined ? '' : `; ${options.hint}`;
        throw new Error(`${options.subject} is locked by process ${owner.pid} (${resolved})${hint}`);
      }
      fs.rmSync(resolved, { force: true });
    }
    throw new Error(`could not lock ${options.subject} (${resolved})`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    fs.rmSync(this.file, { force: true });
    heldHere.delete(this.file);
  }
}

/**
 * The lock's owner, or undefined if the file is unreadable (torn by a kill
 * while being written). A bare pid is read too: PGlite's lock held one before
 * both locks shared this module, and a lock left by a killed older version
 * must still be judged by its pid.
 */
function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    const owner = typeof parsed === 'number' ? { pid: parsed } : (parsed as LockOwner);
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}
