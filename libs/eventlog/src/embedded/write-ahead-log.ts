import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { decodeEntry, encodeEntry, type WalEntry } from './wal-entries';

/**
 * One append-only file holding every entry of the embedded log.
 *
 * Frame: `u32 LE payload length | u32 LE CRC32(payload) | payload (UTF-8 JSON)`.
 * Each frame is written with one `write` call (looped only if the kernel
 * writes less), before anything becomes visible in memory. A process killed
 * mid-write leaves a frame whose length or CRC does not match; `open` drops
 * it and everything after it (only a tail can be torn: the file is only ever
 * appended to), so a frame, i.e. a send or a transaction, is all or nothing.
 *
 * Durability: once `append` has returned, the frame is in the kernel's page
 * cache and survives SIGKILL. With `fsync: 'always'` the returned promise
 * resolves only after `fdatasync` (group commit: one sync covers every frame
 * written while the previous sync ran), which also survives power loss.
 * With `'never'` a power loss may drop a suffix of the file; the survivors
 * are still a consistent prefix, because frames are replayed in file order.
 */
export class WriteAheadLog {
  private fd: number;
  private size: number;
  private sizeAfterRewrite: number;
  private broken: Error | undefined;
  private syncInFlight = false;
  private retiredFds: number[] = [];
  private syncWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly fsyncMode: 'always' | 'never',
    size: number,
  ) {
    this.fd = fs.openSync(file, 'a');
    this.size = size;
    this.sizeAfterRewrite = size;
  }

  /**
   * Opens (creating it if missing) the log file, replays every valid frame
   * through `apply` in file order, and truncates a torn tail.
   */
  static open(
    file: string,
    options: { fsync: 'always' | 'never'; onTruncated?: (droppedBytes: number) => void },
    apply: (entry: WalEntry) => void,
  ): WriteAheadLog {
    // A rewrite is only valid once renamed over the log; a leftover one is garbage.
    fs.rmSync(rewritePath(file), { force: true });
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, '');
      fsyncDirectory(path.dirname(file));
    }
    const { validBytes, totalBytes } = replay(file, apply);
    if (validBytes < totalBytes) {
      fs.truncateSync(file, validBytes);
      options.onTruncated?.(totalBytes - validBytes);
    }
    return new WriteAheadLog(file, options.fsync, validBytes);
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
   * promise, if any, resolves once it is on disk (`fsync: 'always'`). Throws
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
    if (this.fsyncMode === 'never') return undefined;
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      this.startSync();
    });
  }

  /**
   * Replaces the file with `entries` (the live state): written to a side
   * file, synced, then renamed over the log, so a crash at any point leaves
   * either the old or the new file complete.
   */
  rewrite(entries: Iterable<WalEntry>): void {
    if (this.closed) throw new Error('the embedded event log is closed');
    const target = rewritePath(this.file);
    const fd = fs.openSync(target, 'w');
    let size = 0;
    try {
      for (const entry of entries) {
        const frame = toFrame(encodeEntry(entry));
        writeAll(fd, frame);
        size += frame.length;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(target, this.file);
    fsyncDirectory(path.dirname(this.file));
    // The rewrite is on disk and holds everything written so far: waiters are durable.
    const previous = this.fd;
    this.fd = fs.openSync(this.file, 'a');
    this.size = size;
    this.sizeAfterRewrite = size;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    // An fdatasync may still be running on the old descriptor: close it once that returns.
    if (this.syncInFlight) this.retiredFds.push(previous);
    else fs.closeSync(previous);
  }

  /** Waits for pending syncs, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.syncInFlight || this.syncWaiters.length > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private startSync(): void {
    if (this.syncInFlight || this.syncWaiters.length === 0) return;
    this.syncInFlight = true;
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

const HEADER_BYTES = 8;
const READ_CHUNK_BYTES = 1 << 20;

function toFrame(payload: string): Buffer {
  const length = Buffer.byteLength(payload);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  frame.write(payload, HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES)), 4);
  return frame;
}

function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) {
    written += fs.writeSync(fd, buffer, written, buffer.length - written);
  }
}

/** Replays frames in order; stops at the first frame that is incomplete or fails its CRC. */
function replay(file: string, apply: (entry: WalEntry) => void): { validBytes: number; totalBytes: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const totalBytes = fs.fstatSync(fd).size;
    const reader = new ChunkReader(fd, totalBytes);
    let validBytes = 0;
    for (;;) {
      const header = reader.take(HEADER_BYTES);
      if (!header) break;
      const length = header.readUInt32LE(0);
      const checksum = header.readUInt32LE(4);
      if (length > totalBytes - validBytes - HEADER_BYTES) break;
      const payload = reader.take(length);
      if (!payload || crc32(payload) !== checksum) break;
      // A frame with a valid CRC was written whole; if it does not decode, the file is not ours.
      apply(decodeEntry(payload.toString('utf8')));
      validBytes += HEADER_BYTES + length;
    }
    return { validBytes, totalBytes };
  } finally {
    fs.closeSync(fd);
  }
}

/** Sequential reads of a file in large chunks, handing out views of the requested size. */
class ChunkReader {
  private buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private filePosition = 0;

  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
  ) {}

  /** The next `length` bytes (valid until the next call), or undefined at end of file. */
  take(length: number): Buffer | undefined {
    if (this.end - this.start < length && !this.fill(length)) return undefined;
    const view = this.buffer.subarray(this.start, this.start + length);
    this.start += length;
    return view;
  }

  private fill(length: number): boolean {
    if (this.filePosition + length - (this.end - this.start) > this.fileSize) return false;
    const remaining = this.end - this.start;
    const capacity = Math.max(length, READ_CHUNK_BYTES);
    const next = capacity > this.buffer.length ? Buffer.allocUnsafe(capacity) : this.buffer;
    this.buffer.copy(next, 0, this.start, this.end);
    this.buffer = next;
    this.start = 0;
    this.end = remaining;
    while (this.end < length) {
      const read = fs.readSync(
        this.fd,
        this.buffer,
        this.end,
        this.buffer.length - this.end,
        this.filePosition,
      );
      if (read === 0) return false;
      this.end += read;
      this.filePosition += read;
    }
    return true;
  }
}

function rewritePath(file: string): string {
  return `${file}.rewrite`;
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
