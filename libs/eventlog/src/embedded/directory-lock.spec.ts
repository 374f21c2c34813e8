import * as path from 'node:path';
import { killedLockOwner } from '../testing/killed-lock-owner';
import { tempDirs } from '../testing/temp-dirs';
import { DirectoryLock } from './directory-lock';
import { processIsGone, processStartTime } from './process-liveness';

const freshDir = tempDirs('baton-lock-');

describe('DirectoryLock', () => {
  it('is taken over at once from an owner killed with SIGKILL and not yet reaped', async () => {
    const dir = freshDir();
    const owner = await killedLockOwner(path.join(dir, 'LOCK'), '{"pid":PID}');
    try {
      expect(processIsGone(owner.pid)).toBe(true);
      const lock = DirectoryLock.acquire(dir);
      lock.release();
    } finally {
      owner.release();
    }
  });

  it('is refused while its owner runs', () => {
    const dir = freshDir();
    const lock = DirectoryLock.acquire(dir);
    try {
      expect(() => DirectoryLock.acquire(dir)).toThrow(/already open in this process/);
      expect(processIsGone(process.ppid, processStartTime(process.ppid))).toBe(false);
      expect(processIsGone(process.ppid, 'another start time')).toBe(true);
    } finally {
      lock.release();
    }
  });
});
