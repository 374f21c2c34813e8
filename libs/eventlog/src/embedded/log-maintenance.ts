import * as fs from 'node:fs';
import * as path from 'node:path';
import { DirectoryLock } from './directory-lock';
import { LogStore } from './log-store';
import { decodeEntry, type WalEntry } from './wal-entries';
import {
  decodeHeader,
  FILE_HEADER_BYTES,
  FRAMES,
  LEGACY_FRAMES,
  newLogId,
  nextWholeFrame,
  readHead,
  scanFrames,
  WalDamageError,
} from './wal-format';
import { readWal } from './wal-reader';
import { fsyncDirectory, rewritePath, writeSealedFile } from './write-ahead-log';

export const WAL_FILE = 'events.wal';

/** What `verifyLog` found. `ok` means the log opens as it is (a torn tail is cut off on open). */
export interface LogVerification {
  readonly file: string;
  readonly ok: boolean;
  readonly bytes: number;
  readonly formatVersion?: number;
  readonly logId?: string;
  readonly frames: number;
  /** Bytes of a torn tail that opening would cut off. */
  readonly tornTailBytes: number;
  /** What refuses the open, as the start-up error says it. */
  readonly damage?: string;
  readonly damageOffset?: number;
}

/**
 * Reads `<dir>/events.wal` as opening it would, without changing it. Take
 * the directory lock first (`withLockedDir`), so a running Baton is not read
 * mid-write.
 */
export function verifyLog(dir: string): LogVerification {
  const file = path.join(dir, WAL_FILE);
  if (!fs.existsSync(file)) {
    return { file, ok: false, bytes: 0, frames: 0, tornTailBytes: 0, damage: `${file} does not exist` };
  }
  const bytes = fs.statSync(file).size;
  try {
    const reading = readWal(file, () => undefined);
    const header = reading.header;
    const described = {
      file,
      bytes,
      formatVersion: header === 'legacy' ? 1 : header.version,
      logId: header === 'legacy' ? undefined : header.logId,
      frames: reading.frames,
      tornTailBytes: reading.tornTail ? reading.totalBytes - reading.validBytes : 0,
    };
    if (!reading.damage) return { ...described, ok: true };
    return { ...described, ok: false, damage: reading.damage.message, damageOffset: reading.damage.offset };
  } catch (error) {
    if (!(error instanceof WalDamageError)) throw error;
    return {
      file,
      ok: false,
      bytes,
      frames: 0,
      tornTailBytes: 0,
      damage: error.message,
      damageOffset: error.offset,
    };
  }
}

/** What `repairLog` did. */
export interface LogRepair {
  readonly file: string;
  /** The damaged file, kept as it was. */
  readonly copy: string;
  readonly logId: string;
  readonly framesKept: number;
  /** Byte ranges `[from, to)` of the old file that were left out. */
  readonly dropped: ReadonlyArray<readonly [number, number]>;
}

/**
 * Makes `<dir>/events.wal` open again: copies it aside (`events.wal.damaged-<time>`),
 * then writes a new sealed file with every frame that is still whole, in
 * order, skipping damaged bytes up to the next whole frame, under the same
 * log id (a new one if the header itself is lost, which the read model's
 * start-up check then reports). What was dropped is lost: run the
 * read-model check after it (see docs/operations.md).
 */
export function repairLog(dir: string, now: Date = new Date()): LogRepair {
  const file = path.join(dir, WAL_FILE);
  const copy = `${file}.damaged-${now.toISOString().replaceAll(':', '-')}`;
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
  const { logId, entries, dropped } = salvage(copy);
  // Replayed through a store, so the new file holds exactly what the log would serve.
  const store = new LogStore();
  for (const entry of entries) {
    try {
      store.apply(entry);
    } catch {
      // A record of a topic whose creation was in a dropped frame: it has nowhere to go.
    }
  }
  writeSealedFile(rewritePath(file), logId, store.liveEntries());
  fs.renameSync(rewritePath(file), file);
  fsyncDirectory(dir);
  return { file, copy, logId, framesKept: entries.length, dropped };
}

/** Runs `work` holding the directory's lock: refused while a Baton process has the log open. */
export function withLockedDir<T>(dir: string, work: () => T): T {
  const lock = DirectoryLock.acquire(dir);
  try {
    return work();
  } finally {
    lock.release();
  }
}

function salvage(file: string): { logId: string; entries: WalEntry[]; dropped: Array<[number, number]> } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const entries: WalEntry[] = [];
    const dropped: Array<[number, number]> = [];
    let header: ReturnType<typeof decodeHeader> | undefined;
    try {
      header = decodeHeader(file, readHead(fd));
    } catch (error) {
      if (!(error instanceof WalDamageError)) throw error;
    }
    const legacy = header === 'legacy';
    let from = legacy ? 0 : FILE_HEADER_BYTES;
    if (header === undefined && size > 0) dropped.push([0, FILE_HEADER_BYTES]);
    while (from < size) {
      const end = scanFrames(fd, from, legacy ? LEGACY_FRAMES : FRAMES, (payload, offset) => {
        try {
          entries.push(decodeEntry(payload.toString('utf8')));
        } catch {
          dropped.push([offset, offset + FRAMES.headerBytes + payload.length]);
        }
      });
      if (end.bad === undefined) break;
      // A version-1 file cannot be resynchronised: its frames carry no header checksum.
      const next = legacy ? undefined : nextWholeFrame(fd, end.offset);
      dropped.push([end.offset, next ?? size]);
      if (next === undefined) break;
      from = next;
    }
    return {
      logId: header === undefined || header === 'legacy' ? newLogId() : header.logId,
      entries,
      dropped,
    };
  } finally {
    fs.closeSync(fd);
  }
}
