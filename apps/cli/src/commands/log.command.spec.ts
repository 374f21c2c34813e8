import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddedEventLog } from '@baton/eventlog';
import { tempDirs } from '@baton/eventlog/testing/temp-dirs';
import { runBaton } from '../testing/run-baton';

const freshDir = tempDirs('baton-cli-log-');

describe('baton log verify / repair', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = freshDir();
    file = path.join(dir, 'events.wal');
    const log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
    await log.ensureTopics([{ name: 'events', partitions: 1 }]);
    const producer = await log.producer();
    for (let i = 0; i < 5; i += 1) await producer.send([{ topic: 'events', key: 'k', value: `v${i}` }]);
    await log.close();
  });

  function flipByteInFrame(index: number): number {
    const bytes = fs.readFileSync(file);
    let at = 40;
    for (let frame = 0; frame < index; frame += 1) at += 12 + bytes.readUInt32LE(at);
    bytes[at + 14] ^= 0x01;
    fs.writeFileSync(file, bytes);
    return at;
  }

  it('verify: a whole log is ok (exit 0), and the file is not changed', async () => {
    const before = fs.readFileSync(file);
    const sut = await runBaton(['log', 'verify', '--dir', dir]);
    expect(sut).toMatchObject({ code: 0, stderr: '' });
    expect(sut.stdout).toMatch(
      new RegExp(`^${file}: ok \\(format 2, log [0-9a-f-]{36}, 8 frames, \\d+ bytes\\)\\n$`),
    );
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('verify: damage in the middle is reported with the file and the offset (exit 1), the file kept as it is', async () => {
    const offset = flipByteInFrame(2);
    const damaged = fs.readFileSync(file);
    const sut = await runBaton(['log', 'verify', '--dir', dir]);
    expect(sut.code).toBe(1);
    expect(sut.stdout).toContain(`${file} is damaged at byte ${offset}`);
    expect(fs.readFileSync(file)).toEqual(damaged);
  });

  it('repair: keeps the damaged file as a copy, keeps every whole frame, and the log opens again', async () => {
    flipByteInFrame(2);
    const damaged = fs.readFileSync(file);
    const sut = await runBaton(['log', 'repair', '--dir', dir], {
      now: () => Date.parse('2026-12-03T12:00:00Z'),
    });
    expect(sut).toMatchObject({ code: 0, stderr: '' });
    const copy = `${file}.damaged-2026-12-03T12-00-00.000Z`;
    expect(sut.stdout).toContain(`the damaged file is kept as ${copy}`);
    expect(fs.readFileSync(copy)).toEqual(damaged);
    expect((await runBaton(['log', 'verify', '--dir', dir])).code).toBe(0);

    const log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
    const values: string[] = [];
    for await (const record of log.readPartition('events', 0)) values.push(String(record.value));
    await log.close();
    // Frame 2 (after the new file's seal and the topic) held v0.
    expect(values).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it('refuses while the log is open (exit 3): a running Baton is never read mid-write', async () => {
    const log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
    try {
      const sut = await runBaton(['log', 'repair', '--dir', dir]);
      expect(sut.code).toBe(3);
      expect(sut.stderr).toMatch(/already open/);
    } finally {
      await log.close();
    }
  });
});
