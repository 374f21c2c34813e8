import * as path from 'node:path';
import { tempDirs } from '../testing/temp-dirs';
import { waitUntil } from '../testing/wait-until';
import type { WalEntry } from './wal-entries';
import { WriteAheadLog, type FsyncMode } from './write-ahead-log';

const freshDir = tempDirs('baton-wal-');
const entry: WalEntry = { k: 'topic', name: 'events', partitions: 1, compacted: false };

function open(fsync: FsyncMode, intervalMs?: number): WriteAheadLog {
  return WriteAheadLog.open(path.join(freshDir(), 'events.wal'), { fsync, intervalMs }, () => undefined);
}

describe('WriteAheadLog durability modes', () => {
  it('batch: the acknowledgement resolves once the frame is on disk', async () => {
    const sut = open('batch');
    const acknowledged = sut.append(entry);
    expect(acknowledged).toBeInstanceOf(Promise);
    await acknowledged;
    expect(sut.durableBytes).toBe(sut.bytes);
    await sut.close();
  });

  it('interval: acknowledged at once, on disk within the interval', async () => {
    const sut = open('interval', 20);
    expect(sut.append(entry)).toBeUndefined();
    expect(sut.durableBytes).toBeLessThan(sut.bytes);
    await waitUntil(() => sut.durableBytes === sut.bytes, { message: 'the interval sync' });
    await sut.close();
  });

  it('never: acknowledged at once, left to the kernel until a clean close seals the file', async () => {
    const sut = open('never');
    expect(sut.append(entry)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sut.durableBytes).toBeLessThan(sut.bytes);
    await sut.close();
  });
});
