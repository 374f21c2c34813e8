import * as fs from 'node:fs';

/** Linux task flag: the process is exiting (set by SIGKILL before its memory is torn down). */
const PF_EXITING = 0x4;

/**
 * Whether the process with `pid` is gone for the purpose of a pid lock file:
 * no such process, or one that is dying or dead but not yet reaped (a zombie
 * until its parent waits for it, which after SIGKILL can take a second or
 * more), or one started at another time than `startedAt` (the pid was reused).
 * Our own pid is gone too: a restarted container often gets the same pid.
 */
export function processIsGone(pid: number, startedAt?: string): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but someone else's.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const stat = procStat(pid);
  if (!stat) return false;
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return true;
  if ((stat.flags & PF_EXITING) !== 0) return true;
  return startedAt !== undefined && stat.startedAt !== startedAt;
}

/** The start time of `pid` (Linux `/proc/<pid>/stat` field 22), to tell a reused pid apart. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startedAt;
}

function procStat(pid: number): { state: string; flags: number; startedAt: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], flags: Number(fields[6]), startedAt: fields[19] };
  } catch {
    return undefined;
  }
}
