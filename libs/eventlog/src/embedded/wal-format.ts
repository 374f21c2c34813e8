import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * The on-disk layout of `events.wal`, version 2.
 *
 * File header (40 bytes): `"BATONWAL" | u32 version | 16-byte log id |
 * u64 sealed end | u32 CRC32(previous 36 bytes)`. The log id names this log
 * for its whole life (a rewrite or a repair keeps it), so a read model built
 * from another log is recognised. The sealed end is a byte offset up to which
 * the file is known to be on disk whole (after a rewrite or a clean close):
 * damage below it cannot be a torn write.
 *
 * Frame: `u32 payload length | u32 CRC32(payload) | u32 CRC32(first 8 bytes) |
 * payload`. The header's own CRC lets a scan find the next frame after a bad
 * one, which is how damage in the middle (a valid frame follows) is told
 * apart from a torn tail (nothing valid follows).
 *
 * Version 1 (before December 2026) had no file header and 8-byte frame
 * headers; it is read once and rewritten as version 2.
 */
export const WAL_VERSION = 2;
const MAGIC = Buffer.from('BATONWAL', 'latin1');
export const FILE_HEADER_BYTES = 40;
export const FRAME_HEADER_BYTES = 12;
const LEGACY_FRAME_HEADER_BYTES = 8;

export interface WalHeader {
  readonly version: number;
  readonly logId: string;
  readonly sealedEnd: number;
}

/** Damage the log cannot repair by itself: names the file, the offset and the way out. */
export class WalDamageError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `event log ${file} is damaged at byte ${offset}: ${reason}. Baton refuses to start rather than ` +
        `drop or re-run anything. Inspect it with \`baton log verify --dir ${dirOf(file)}\`; ` +
        `\`baton log repair --dir ${dirOf(file)}\` keeps a copy of the file and keeps every frame that is ` +
        `still whole (or restore the directory from a backup)`,
    );
    this.name = 'WalDamageError';
  }
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

export function newLogId(): string {
  return randomUUID();
}

export function encodeHeader(header: WalHeader): Buffer {
  const buffer = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(buffer, 0);
  buffer.writeUInt32LE(header.version, 8);
  Buffer.from(header.logId.replaceAll('-', ''), 'hex').copy(buffer, 12);
  buffer.writeBigUInt64LE(BigInt(header.sealedEnd), 28);
  buffer.writeUInt32LE(crc32(buffer.subarray(0, 36)), 36);
  return buffer;
}

/** `'legacy'` for a version-1 file (no header); throws on a damaged header or an unknown version. */
export function decodeHeader(file: string, buffer: Buffer): WalHeader | 'legacy' {
  if (buffer.length === 0) {
    throw new WalDamageError(file, 0, 'the file is empty (a log file always starts with its header)');
  }
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC.subarray(0, Math.min(buffer.length, MAGIC.length)))) {
    return 'legacy';
  }
  if (buffer.length < FILE_HEADER_BYTES) throw new WalDamageError(file, 0, 'the file header is cut short');
  if (crc32(buffer.subarray(0, 36)) !== buffer.readUInt32LE(36)) {
    throw new WalDamageError(file, 0, 'the file header fails its checksum');
  }
  const version = buffer.readUInt32LE(8);
  if (version !== WAL_VERSION) {
    throw new Error(
      `event log ${file} has format version ${version}; this Baton reads version ${WAL_VERSION} ` +
        `(and migrates version 1): run the Baton release that wrote it`,
    );
  }
  const hex = buffer.subarray(12, 28).toString('hex');
  const logId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { version, logId, sealedEnd: Number(buffer.readBigUInt64LE(28)) };
}

export function toFrame(payload: string): Buffer {
  const length = Buffer.byteLength(payload);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.write(payload, FRAME_HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  frame.writeUInt32LE(crc32(frame.subarray(0, 8)), 8);
  return frame;
}

/** A frame layout: version 2 checks its header, version 1 cannot. */
export interface FrameLayout {
  readonly headerBytes: number;
  readonly headerIsValid: (header: Buffer) => boolean;
}

export const FRAMES: FrameLayout = {
  headerBytes: FRAME_HEADER_BYTES,
  headerIsValid: (header) => crc32(header.subarray(0, 8)) === header.readUInt32LE(8),
};

export const LEGACY_FRAMES: FrameLayout = {
  headerBytes: LEGACY_FRAME_HEADER_BYTES,
  headerIsValid: () => true,
};

/** Where reading stopped: at the end of the file, or at a bad frame and why. */
export interface ScanEnd {
  readonly offset: number;
  readonly bad?: string;
}

const READ_CHUNK_BYTES = 1 << 20;

/**
 * Reads the frames of `fd` from `start` in file order, handing each payload
 * (valid until the next call) and its offset to `onFrame`; stops at the end
 * or at the first frame that is cut short or fails a checksum.
 */
export function scanFrames(
  fd: number,
  start: number,
  layout: FrameLayout,
  onFrame: (payload: Buffer, offset: number) => void,
): ScanEnd {
  const size = fs.fstatSync(fd).size;
  const reader = new ChunkReader(fd, start, size);
  let offset = start;
  for (;;) {
    if (offset === size) return { offset };
    const header = reader.take(layout.headerBytes);
    if (!header) return { offset, bad: 'a frame header is cut short by the end of the file' };
    if (!layout.headerIsValid(header)) return { offset, bad: 'a frame header fails its checksum' };
    const length = header.readUInt32LE(0);
    const checksum = header.readUInt32LE(4);
    if (length > size - offset - layout.headerBytes) {
      return { offset, bad: `a frame of ${length} bytes is cut short by the end of the file` };
    }
    const payload = reader.take(length);
    if (!payload || crc32(payload) !== checksum) return { offset, bad: 'a frame fails its checksum' };
    onFrame(payload, offset);
    offset += layout.headerBytes + length;
  }
}

/**
 * The offset of the first whole version-2 frame after `from`, if any: a
 * frame whose header and payload both pass their checksums. Used only once
 * reading has stopped at a bad frame, to tell a torn tail (none) from damage
 * in the middle of the file.
 */
export function nextWholeFrame(fd: number, from: number): number | undefined {
  const size = fs.fstatSync(fd).size;
  const window = Buffer.allocUnsafe(READ_CHUNK_BYTES + FRAME_HEADER_BYTES);
  for (let base = from + 1; base + FRAME_HEADER_BYTES <= size; base += READ_CHUNK_BYTES) {
    const read = fs.readSync(fd, window, 0, window.length, base);
    for (let at = 0; at + FRAME_HEADER_BYTES <= read && at < READ_CHUNK_BYTES; at += 1) {
      const header = window.subarray(at, at + FRAME_HEADER_BYTES);
      if (!FRAMES.headerIsValid(header)) continue;
      const offset = base + at;
      const length = header.readUInt32LE(0);
      if (length > size - offset - FRAME_HEADER_BYTES) continue;
      const payload = Buffer.allocUnsafe(length);
      fs.readSync(fd, payload, 0, length, offset + FRAME_HEADER_BYTES);
      if (crc32(payload) === header.readUInt32LE(4)) return offset;
    }
  }
  return undefined;
}

/** Sequential reads of a file in large chunks, handing out views of the requested size. */
class ChunkReader {
  private buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private start = 0;
  private end = 0;

  constructor(
    private readonly fd: number,
    private filePosition: number,
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

export function readHead(fd: number): Buffer {
  const buffer = Buffer.alloc(FILE_HEADER_BYTES);
  const read = fs.readSync(fd, buffer, 0, FILE_HEADER_BYTES, 0);
  return buffer.subarray(0, read);
}
