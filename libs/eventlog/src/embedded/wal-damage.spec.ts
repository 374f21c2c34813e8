import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { tempDirs } from '../testing/temp-dirs';
import { EmbeddedEventLog } from './embedded-event-log';
import { repairLog, verifyLog, withLockedDir } from './log-maintenance';
import { FILE_HEADER_BYTES, FRAME_HEADER_BYTES, WalDamageError } from './wal-format';

const freshDir = tempDirs('baton-wal-damage-');
const quiet = { onWarning: () => undefined };

/** Three groups with offsets on a topic of two partitions, and ten records: the state every case damages. */
async function populate(dir: string): Promise<void> {
  const log = await EmbeddedEventLog.open({ dir, ...quiet });
  await log.ensureTopics([{ name: 'events', partitions: 2 }]);
  const producer = await log.producer();
  for (let i = 0; i < 10; i += 1)
    await producer.send([{ topic: 'events', key: `k${i % 2}`, value: `v${i}` }]);
  const tx = await log.transactionalProducer('engine-0');
  for (const groupId of ['engine', 'projector', 'executor']) {
    await tx.commit({ records: [], offsets: { groupId, topic: 'events', partition: 0, offset: 3 } });
    await tx.commit({ records: [], offsets: { groupId, topic: 'events', partition: 1, offset: 2 } });
  }
  await log.close();
}

const GROUPS = ['engine', 'projector', 'executor'];

function offsetsOf(log: EmbeddedEventLog): Array<number | undefined> {
  return GROUPS.flatMap((group) => [0, 1].map((p) => log.committedOffset(group, 'events', p)));
}

async function valuesOf(log: EmbeddedEventLog): Promise<string[]> {
  const values: string[] = [];
  for (const partition of [0, 1]) {
    for await (const record of log.readPartition('events', partition)) values.push(String(record.value));
  }
  return values.sort();
}

const ALL_VALUES = Array.from({ length: 10 }, (_, i) => `v${i}`).sort();
const ALL_OFFSETS = [3, 2, 3, 2, 3, 2];

/** Byte offsets at which each frame starts, read from the file. */
function frameStarts(file: string): number[] {
  const bytes = fs.readFileSync(file);
  const starts: number[] = [];
  for (let at = FILE_HEADER_BYTES; at < bytes.length; at += FRAME_HEADER_BYTES + bytes.readUInt32LE(at)) {
    starts.push(at);
  }
  return starts;
}

describe('the embedded log on damaged storage', () => {
  let dir: string;
  let file: string;
  let sut: EmbeddedEventLog | undefined;

  beforeEach(async () => {
    dir = freshDir();
    file = path.join(dir, 'events.wal');
    await populate(dir);
  });

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  async function open(warnings: string[] = []): Promise<EmbeddedEventLog> {
    sut = await EmbeddedEventLog.open({ dir, onWarning: (message) => void warnings.push(message) });
    return sut;
  }

  it('cut at every byte of the last frame of a cleanly stopped log: repaired by itself, no record and no offset lost', async () => {
    const intact = fs.readFileSync(file);
    const last = frameStarts(file).at(-1)!;
    for (let length = last; length < intact.length; length += 1) {
      fs.writeFileSync(file, intact.subarray(0, length));
      const warnings: string[] = [];
      const log = await open(warnings);
      expect({ length, values: await valuesOf(log), offsets: offsetsOf(log) }).toEqual({
        length,
        values: ALL_VALUES,
        offsets: ALL_OFFSETS,
      });
      expect(warnings).toEqual(length === last ? [] : [expect.stringContaining('torn tail')]);
      await log.close();
      sut = undefined;
    }
  });

  it('cut at every byte of the last frame a killed process was writing: that transaction is gone whole, every earlier offset kept', async () => {
    const log = await open();
    const before = fs.readFileSync(file).length;
    const tx = await log.transactionalProducer('engine-0');
    await tx.commit({
      records: [{ topic: 'events', key: 'k0', value: 'torn' }],
      offsets: { groupId: 'engine', topic: 'events', partition: 0, offset: 4 },
    });
    const killed = fs.readFileSync(file);
    await log.close();
    sut = undefined;
    for (let length = before; length < killed.length; length += 1) {
      fs.writeFileSync(file, killed.subarray(0, length));
      const reopened = await open();
      expect({ length, values: await valuesOf(reopened), offsets: offsetsOf(reopened) }).toEqual({
        length,
        values: ALL_VALUES,
        offsets: ALL_OFFSETS,
      });
      await reopened.close();
      sut = undefined;
    }
  });

  it('a flipped byte in the middle refuses to start, naming the file, the offset and the way out', async () => {
    const bytes = fs.readFileSync(file);
    const middle = frameStarts(file)[3];
    bytes[middle + FRAME_HEADER_BYTES + 2] ^= 0x01;
    fs.writeFileSync(file, bytes);

    const refused = EmbeddedEventLog.open({ dir, ...quiet });
    await expect(refused).rejects.toBeInstanceOf(WalDamageError);
    await expect(refused).rejects.toThrow(
      new RegExp(`${file} is damaged at byte ${middle}: .*baton log verify.*baton log repair`),
    );
    // Nothing was cut: the file is as it was, for the operator to look at.
    expect(fs.readFileSync(file)).toEqual(bytes);
  });

  it('four bytes overwritten in the middle of a live (unsealed) region still refuse: a whole frame follows', async () => {
    const log = await open();
    const producer = await log.producer();
    for (let i = 0; i < 5; i += 1) await producer.send([{ topic: 'events', key: 'k0', value: `late${i}` }]);
    const killed = fs.readFileSync(file);
    await log.close();
    sut = undefined;
    fs.writeFileSync(file, killed);
    const third = frameStarts(file).at(-3)!;
    const damaged = Buffer.from(killed);
    damaged.writeUInt32LE(0xdeadbeef, third + FRAME_HEADER_BYTES);
    fs.writeFileSync(file, damaged);

    await expect(EmbeddedEventLog.open({ dir, ...quiet })).rejects.toThrow(/a whole frame follows at byte/);
  });

  it('an emptied file refuses to start', async () => {
    fs.writeFileSync(file, '');
    await expect(EmbeddedEventLog.open({ dir, ...quiet })).rejects.toThrow(
      /is damaged at byte 0: the file is empty/,
    );
  });

  it('a damaged offsets frame refuses to start, and repair keeps every offset from the second copy', async () => {
    const bytes = fs.readFileSync(file);
    // Compact, so the offsets live in the rewrite's per-group frames only.
    sut = await EmbeddedEventLog.open({ dir, ...quiet });
    await sut.compact();
    await sut.close();
    sut = undefined;
    const compacted = fs.readFileSync(file);
    expect(compacted.length).toBeLessThan(bytes.length);
    const offsetsFrame = frameStarts(file).find((start) =>
      compacted
        .subarray(start, start + 200)
        .toString('latin1')
        .includes('"projector"'),
    )!;
    compacted[offsetsFrame + FRAME_HEADER_BYTES + 5] ^= 0x20;
    fs.writeFileSync(file, compacted);
    await expect(EmbeddedEventLog.open({ dir, ...quiet })).rejects.toThrow(`damaged at byte ${offsetsFrame}`);

    const repair = withLockedDir(dir, () => repairLog(dir, new Date('2026-12-03T12:00:00Z')));
    expect(repair.dropped).toHaveLength(1);
    expect(fs.readFileSync(repair.copy)).toEqual(compacted);
    const log = await open();
    expect(offsetsOf(log)).toEqual(ALL_OFFSETS);
    expect(await valuesOf(log)).toEqual(ALL_VALUES);
  });

  it('verify reports damage without changing the file; repair keeps a copy and the log opens again under the same id', async () => {
    const id = verifyLog(dir).logId;
    expect(verifyLog(dir)).toMatchObject({ ok: true, formatVersion: 2, tornTailBytes: 0 });
    const bytes = fs.readFileSync(file);
    const middle = frameStarts(file)[2];
    bytes[middle + FRAME_HEADER_BYTES + 1] ^= 0x10;
    fs.writeFileSync(file, bytes);

    expect(verifyLog(dir)).toMatchObject({ ok: false, damageOffset: middle });
    expect(fs.readFileSync(file)).toEqual(bytes);
    const repair = repairLog(dir);
    expect(repair).toMatchObject({ logId: id, dropped: [[middle, frameStarts(repair.copy)[3]]] });
    expect(verifyLog(dir)).toMatchObject({ ok: true, logId: id });
    const log = await open();
    // The one damaged frame held one record; everything else is there.
    expect((await valuesOf(log)).length).toBe(ALL_VALUES.length - 1);
    expect(offsetsOf(log)).toEqual(ALL_OFFSETS);
  });

  it('a missing file is a new log with a new id, and says so', async () => {
    const before = (await open()).logId;
    await sut!.close();
    sut = undefined;
    fs.rmSync(file);
    const log = await open();
    expect(log.createdOnOpen).toBe(true);
    expect(log.logId).not.toBe(before);
  });

  it('migrates a version-1 file (no header, 8-byte frames) and keeps its contents', async () => {
    fs.rmSync(file);
    const frames = [
      { k: 'topic', name: 'events', partitions: 2, compacted: false },
      { k: 'batch', r: [['events', 0, 0, 'k0', 'old', null, 1]], o: [['engine', 'events', 0, 1]] },
    ].map((entry) => {
      const payload = Buffer.from(JSON.stringify(entry));
      const header = Buffer.alloc(8);
      header.writeUInt32LE(payload.length, 0);
      header.writeUInt32LE(crc32(payload), 4);
      return Buffer.concat([header, payload]);
    });
    fs.writeFileSync(file, Buffer.concat(frames));
    const warnings: string[] = [];
    const log = await open(warnings);
    expect(warnings).toEqual([expect.stringContaining('migrated')]);
    expect(await valuesOf(log)).toEqual(['old']);
    expect(log.committedOffset('engine', 'events', 0)).toBe(1);
    expect(verifyLog(dir)).toMatchObject({ formatVersion: 2 });
  });
});
