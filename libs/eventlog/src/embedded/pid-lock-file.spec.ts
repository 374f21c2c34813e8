import * as fs from 'node:fs';
import * as path from 'node:path';
import { killedLockOwner } from '../testing/killed-lock-owner';
import { tempDirs } from '../testing/temp-dirs';
import { PidLockFile } from './pid-lock-file';
import { processStartTime } from './process-liveness';

const freshDir = tempDirs('baton-pid-lock-');
const options = { subject: 'the thing', hint: 'stop it first' };

describe('PidLockFile', () => {
  it('writes its owner, refuses a second acquire in this process, and frees the file on release', () => {
    const file = path.join(freshDir(), 'nested', 'x.lock');

    const sut = PidLockFile.acquire(file, options);

    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      pid: process.pid,
      startedAt: processStartTime(process.pid),
    });
    expect(() => PidLockFile.acquire(file, options)).toThrow('the thing is already open in this process');
    sut.release();
    expect(fs.existsSync(file)).toBe(false);
    PidLockFile.acquire(file, options).release();
  });

  it('is refused while another live process holds it, naming the process and the hint', () => {
    const file = path.join(freshDir(), 'x.lock');
    const owner = { pid: process.ppid, startedAt: processStartTime(process.ppid) };
    fs.writeFileSync(file, JSON.stringify(owner));

    expect(() => PidLockFile.acquire(file, options)).toThrow(
      `the thing is locked by process ${process.ppid} (${file}); stop it first`,
    );
  });

  it.each([
    ['a bare pid (the older PGlite lock)', 'PID'],
    ['JSON', '{"pid":PID}'],
  ])('is taken over from an owner killed with SIGKILL, written as %s', async (_, text) => {
    const file = path.join(freshDir(), 'x.lock');
    const owner = await killedLockOwner(file, text);
    try {
      PidLockFile.acquire(file, options).release();
    } finally {
      owner.release();
    }
  });

  it('takes over a torn (empty) lock file', () => {
    const file = path.join(freshDir(), 'x.lock');
    fs.writeFileSync(file, '');

    PidLockFile.acquire(file, options).release();
  });
});
