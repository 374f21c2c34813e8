import { killedLockOwner } from '@baton/eventlog/testing/killed-lock-owner';
import { tempDirs } from '@baton/eventlog/testing/temp-dirs';
import { DataDirLock } from './data-dir-lock';

const freshDir = tempDirs('baton-datadir-lock-');

describe('DataDirLock', () => {
  it('is taken over at once from an owner killed with SIGKILL and not yet reaped', async () => {
    const dataDir = `${freshDir()}/db`;
    const owner = await killedLockOwner(`${dataDir}.lock`, 'PID');
    try {
      DataDirLock.acquire(dataDir).release();
    } finally {
      owner.release();
    }
  });
});
