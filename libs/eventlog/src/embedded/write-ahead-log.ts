import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeEntry, type WalEntry } from './wal-entries';
import {
  encodeHeader,
  FILE_HEADER_BYTES,
  newLogId,
  toFrame,
  WAL_VERSION,
  WalDamageError,
} from './wal-format';
import { readWal } from './wal-reader';

/**
 * When an acknowledged write reaches the disk.
 * - `batch`: the acknowledgement waits for `fdatasync`; one sync covers every
 *   frame written while the previous one ran (group commit). Survives power loss.
 * - `interval`: acknowledged once in the kernel; synced every `intervalMs`.
 *   A power loss may drop up to that much of the newest writes.
 * - `never`: acknowledged once in the kernel, never synced by Baton (the
 *   kernel writes back within ~30 s). Survives SIGKILL, not a power loss.
 * In every mode a kill loses nothing acknowledged, and a lost suffix is cut
 * off on open as a torn tail: the survivors are a consistent prefix.
 */
export type FsyncMode = 'batch' | 'interval' | 'never';

export interface WalOptions {
  readonly fsync: FsyncMode;
  /** For `interval`. Default 1 000. */
  readonly intervalMs?: number;
  readonly onTruncated?: (droppedBytes: number) => void;
}

/**
 * One append-only file holding every entry of the embedded log (layout in
 * `wal-format.ts`). Each frame is written with one `write` call (looped only
 * if the kernel writes less), before anything becomes visible in memory, so a
 * frame, i.e. a send or a transaction, is all or nothing.
 *
 * Damage: only a torn tail, a frame cut short at the end of what was appended
 * since the file was last sealed with nothing whole after it, is cut off on
 * open; anything else throws a `WalDamageError` (see `baton log repair`).
 * A rewrite and a clean close seal the file: they sync it, record the sealed
 * end in the header and end with a `seal` frame that carries nothing, so
 * cutting the last bytes of a cleanly stopped or freshly rewritten log loses
 * no record and no offset.
 */
export class WriteAheadLog {
  private fd: number;
  private size: number;
  private sizeAfterRewrite: number;
  private broken: Error | undefined;
  private syncInFlight = false;
  private retiredFds: number[] = [];
  private syncWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private dirty = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly options: WalOptions,
    size: number,
    /** The log's identity, kept for its whole life (see `wal-format.ts`). */
    readonly logId: string,
    /** Whether this open created the file (no log was there). */
    readonly created: boolean,
    /** The format version the file had before this open (1 is migrated by the first rewrite). */
    readonly openedVersion: number,
  ) {
    this.fd = fs.openSync(file, 'a');
    this.size = size;
    this.sizeAfterRewrite = size;
    if (options.fsync === 'interval') {
      this.timer = setInterval(() => this.syncIfDirty(), options.intervalMs ?? 1_000);
      this.timer.unref();
    }
  }

  /**
   * Opens (creating it if missing) the log file, replays every whole frame
   * through `apply` in file order, and cuts off a torn tail. Throws a
   * `WalDamageError` for any other damage, before anything is changed.
   */
  static open(file: string, options: WalOptions, apply: (entry: WalEntry) => void): WriteAheadLog {
    // A rewrite is only valid once renamed over the log; a leftover one is garbage.
    fs.rmSync(rewritePath(file), { force: true });
    const created = !fs.existsSync(file);
    if (created) createEmpty(file, newLogId());
    const reading = readWal(file, apply);
    if (reading.damage) throw reading.damage;
    if (reading.tornTail) {
      fs.truncateSync(file, reading.validBytes);
      options.onTruncated?.(reading.totalBytes - reading.validBytes);
    }
    const legacy = reading.header === 'legacy';
    return new WriteAheadLog(
      file,
      options,
      reading.validBytes,
      legacy ? newLogId() : reading.header.logId,
      created,
      legacy ? 1 : WAL_VERSION,
    );
  }

  /** Bytes in the file now. */
  get bytes(): number {
    return this.size;
  }

  /** Bytes written since the file was opened or last rewritten. */
  get bytesSinceRewrite(): number {
    return this.size - this.sizeAfterRewrite;
  }

  /**
   * Writes one frame. Returns once it is in the kernel (SIGKILL-safe); the
   * promise, if any, resolves once it is on disk (`fsync: 'batch'`). Throws
   * if the write fails; the file is then cut back so no partial frame stays.
   */
  append(entry: WalEntry): Promise<void> | undefined {
    if (this.closed) throw new Error('the embedded event log is closed');
    if (this.broken) throw this.broken;
    const frame = toFrame(encodeEntry(entry));
    try {
      writeAll(this.fd, frame);
    } catch (error) {
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        this.broken = new Error(`write-ahead log ${this.file} is damaged: ${(error as Error).message}`);
      }
      throw error;
    }
    this.size += frame.length;
    this.dirty = true;
    if (this.options.fsync !== 'batch') return undefined;
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      this.startSync();
    });
  }

  /**
   * Replaces the file with `entries` (the live state): written to a side
   * file, sealed and synced, then renamed over the log, so a crash at any
   * point leaves either the old or the new file complete.
   */
  rewrite(entries: Iterable<WalEntry>): void {
    if (this.closed) throw new Error('the embedded event log is closed');
    const size = writeSealedFile(rewritePath(this.file), this.logId, entries);
    fs.renameSync(rewritePath(this.file), this.file);
    fsyncDirectory(path.dirname(this.file));
    // The rewrite is on disk and holds everything written so far: waiters are durable.
    const previous = this.fd;
    this.fd = fs.openSync(this.file, 'a');
    this.size = size;
    this.sizeAfterRewrite = size;
    this.dirty = false;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    // An fdatasync may still be running on the old descriptor: close it once that returns.
    if (this.syncInFlight) this.retiredFds.push(previous);
    else fs.closeSync(previous);
  }

  /** Waits for pending syncs, seals the file (unless a write failed) and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    while (this.syncInFlight || this.syncWaiters.length > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.closed = true;
    try {
      if (!this.broken) this.seal();
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Syncs what is written, records it as the sealed end, then appends a `seal` frame. */
  private seal(): void {
    fs.fdatasyncSync(this.fd);
    const header = fs.openSync(this.file, 'r+');
    try {
      fs.writeSync(
        header,
        encodeHeader({ version: WAL_VERSION, logId: this.logId, sealedEnd: this.size }),
        0,
        FILE_HEADER_BYTES,
        0,
      );
    } finally {
      fs.closeSync(header);
    }
    writeAll(this.fd, toFrame(encodeEntry({ k: 'seal' })));
    fs.fdatasyncSync(this.fd);
  }

  private syncIfDirty(): void {
    if (!this.dirty || this.syncInFlight || this.closed) return;
    this.dirty = false;
    this.syncInFlight = true;
    fs.fdatasync(this.fd, (error) => {
      this.syncInFlight = false;
      for (const retired of this.retiredFds.splice(0)) fs.closeSync(retired);
      if (error) this.dirty = true;
    });
  }

  private startSync(): void {
    if (this.syncInFlight || this.syncWaiters.length === 0) return;
    this.syncInFlight = true;
    this.dirty = false;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    fs.fdatasync(this.fd, (error) => {
      this.syncInFlight = false;
      for (const retired of this.retiredFds.splice(0)) fs.closeSync(retired);
      for (const waiter of waiters) {
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
      this.startSync();
    });
  }
}

/**
 * Writes a complete, sealed version-2 file: header, `entries`, a `seal`
 * frame; synced before it returns. Returns the file's size.
 */
export function writeSealedFile(target: string, logId: string, entries: Iterable<WalEntry>): number {
  const fd = fs.openSync(target, 'w');
  try {
    let size = FILE_HEADER_BYTES;
    writeAll(fd, Buffer.alloc(FILE_HEADER_BYTES));
    for (const entry of entries) {
      const frame = toFrame(encodeEntry(entry));
      writeAll(fd, frame);
      size += frame.length;
    }
    fs.writeSync(fd, encodeHeader({ version: WAL_VERSION, logId, sealedEnd: size }), 0, FILE_HEADER_BYTES, 0);
    const seal = toFrame(encodeEntry({ k: 'seal' }));
    fs.writeSync(fd, seal, 0, seal.length, size);
    fs.fsyncSync(fd);
    return size + seal.length;
  } finally {
    fs.closeSync(fd);
  }
}

/** A new, empty log: written aside and renamed, so an empty `events.wal` is never a state Baton leaves. */
function createEmpty(file: string, logId: string): void {
  const target = rewritePath(file);
  writeSealedFile(target, logId, []);
  fs.renameSync(target, file);
  fsyncDirectory(path.dirname(file));
}

function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) {
    written += fs.writeSync(fd, buffer, written, buffer.length - written);
  }
}

export function rewritePath(file: string): string {
  return `${file}.rewrite`;
}

export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export { WalDamageError };
