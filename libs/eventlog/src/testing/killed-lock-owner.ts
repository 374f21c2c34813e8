import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { waitUntil } from './wait-until';

/**
 * A process that wrote a lock file and was then killed with SIGKILL, left a
 * zombie: its parent (a shell that `exec`s into `sleep`) never reaps it, as a
 * supervisor that is slow to wait leaves it. Resolves with its pid once the
 * kernel reports it dead but unreaped. `lockText` is the file's content, with
 * `PID` replaced by the process's pid.
 *
 * @example
 *   const owner = await killedLockOwner(lockFile, '{"pid":PID}');
 *   DirectoryLock.acquire(dir); // must not fail on the dead owner
 *   owner.release();
 */
export async function killedLockOwner(
  lockFile: string,
  lockText: string,
): Promise<{ pid: number; release: () => void }> {
  const script = `require('fs').writeFileSync(${JSON.stringify(lockFile)}, ${JSON.stringify(lockText)}.replace('PID', String(process.pid))); setInterval(() => {}, 1000);`;
  const parent = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e "$0" & exec sleep 60`, script], {
    stdio: 'ignore',
  });
  await waitUntil(() => fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8').length > 0, {
    message: 'the lock owner wrote its lock',
  });
  const pid = Number(/\d+/.exec(fs.readFileSync(lockFile, 'utf8'))?.[0]);
  process.kill(pid, 'SIGKILL');
  await waitUntil(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), {
    message: 'the killed lock owner is a zombie',
  });
  return { pid, release: () => parent.kill('SIGKILL') };
}
