import * as fs from 'node:fs';
import { decodeEntry, type WalEntry } from './wal-entries';
import {
  decodeHeader,
  FILE_HEADER_BYTES,
  FRAMES,
  LEGACY_FRAMES,
  nextWholeFrame,
  readHead,
  scanFrames,
  WalDamageError,
  type WalHeader,
} from './wal-format';

/** What reading a log file found. */
export interface WalReading {
  /** The header, or `'legacy'` for a version-1 file. */
  readonly header: WalHeader | 'legacy';
  /** Bytes of whole frames from the start (where a torn tail is cut off). */
  readonly validBytes: number;
  readonly totalBytes: number;
  readonly frames: number;
  /** A torn tail: the bytes after `validBytes` are one frame cut short, and nothing whole follows. */
  readonly tornTail: boolean;
  /** Anything else wrong, or undefined. */
  readonly damage?: WalDamageError;
}

/**
 * Reads every whole frame of `file` through `apply`, in file order, and
 * classifies what stopped it. A torn tail is only ever the end of what was
 * appended since the file was last sealed; a bad frame below the sealed end,
 * or one that a whole frame follows, is damage.
 */
export function readWal(file: string, apply: (entry: WalEntry) => void): WalReading {
  const fd = fs.openSync(file, 'r');
  try {
    const totalBytes = fs.fstatSync(fd).size;
    const header = decodeHeader(file, readHead(fd));
    const layout = header === 'legacy' ? LEGACY_FRAMES : FRAMES;
    let frames = 0;
    const end = scanFrames(fd, header === 'legacy' ? 0 : FILE_HEADER_BYTES, layout, (payload, offset) => {
      let entry: WalEntry;
      try {
        entry = decodeEntry(payload.toString('utf8'));
      } catch (error) {
        // Whole (its checksum holds) yet unreadable: not a torn write, and not ours to guess at.
        throw new WalDamageError(file, offset, `a whole frame does not decode (${(error as Error).message})`);
      }
      apply(entry);
      frames += 1;
    });
    const reading = { header, validBytes: end.offset, totalBytes, frames };
    const damage = classify(file, fd, header, end.offset, end.bad);
    if (damage === 'torn') return { ...reading, tornTail: true };
    return { ...reading, tornTail: false, damage };
  } finally {
    fs.closeSync(fd);
  }
}

function classify(
  file: string,
  fd: number,
  header: WalHeader | 'legacy',
  offset: number,
  bad: string | undefined,
): WalDamageError | 'torn' | undefined {
  if (header === 'legacy') {
    return bad === undefined
      ? undefined
      : new WalDamageError(
          file,
          offset,
          `${bad}, in a version-1 log, which cannot tell a torn tail from damage`,
        );
  }
  if (offset < header.sealedEnd) {
    return new WalDamageError(
      file,
      offset,
      `${bad ?? 'the file ends'} below byte ${header.sealedEnd}, up to which it was synced whole (a rewrite or a clean stop)`,
    );
  }
  if (bad === undefined) return undefined;
  const next = nextWholeFrame(fd, offset);
  if (next !== undefined) {
    return new WalDamageError(file, offset, `${bad}, and a whole frame follows at byte ${next}`);
  }
  return 'torn';
}
