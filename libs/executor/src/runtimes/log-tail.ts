import { StringDecoder } from 'node:string_decoder';
import type { LogTail, StreamTail } from '@baton/contracts';

export const DEFAULT_TAIL_BYTES = 64 * 1024;

export type LogStream = 'stdout' | 'stderr';

/**
 * Keeps the last `limitBytes` bytes written to it, whatever the total.
 * Invariant: the retained chunks never hold more than `limitBytes` bytes
 * after `write` returns, so memory stays bounded however much a step prints.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limitBytes: number = DEFAULT_TAIL_BYTES) {}

  write(chunk: Buffer): void {
    this.total += chunk.length;
    if (chunk.length >= this.limitBytes) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.limitBytes))];
      this.kept = this.limitBytes;
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.limitBytes) {
      const excess = this.kept - this.limitBytes;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.kept -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.kept -= excess;
      }
    }
  }

  tail(): StreamTail {
    let bytes = Buffer.concat(this.chunks, this.kept);
    // Dropping bytes from the front may cut a multi-byte character: skip its
    // continuation bytes (10xxxxxx) so the text starts on a boundary.
    let skip = 0;
    if (this.total > this.kept) {
      while (skip < bytes.length && skip < 3 && (bytes[skip] & 0xc0) === 0x80) skip++;
    }
    bytes = bytes.subarray(skip);
    return { text: bytes.toString('utf8'), truncatedBytes: this.total - bytes.length };
  }
}

/**
 * The logs of one attempt: a bounded tail per stream, and a live copy of
 * every chunk to the executor's `onLog` (decoded without splitting characters).
 */
export class LogCollector {
  private readonly buffers: Record<LogStream, TailBuffer>;
  private readonly decoders: Record<LogStream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  constructor(
    limitBytes: number = DEFAULT_TAIL_BYTES,
    private readonly onLog?: (stream: LogStream, chunk: string) => void,
  ) {
    this.buffers = { stdout: new TailBuffer(limitBytes), stderr: new TailBuffer(limitBytes) };
  }

  write(stream: LogStream, chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.buffers[stream].write(bytes);
    if (this.onLog) {
      const text = this.decoders[stream].write(bytes);
      if (text.length > 0) this.emit(stream, text);
    }
  }

  line(stream: LogStream, text: string): void {
    this.write(stream, text.endsWith('\n') ? text : `${text}\n`);
  }

  logs(): LogTail {
    return { stdout: this.buffers.stdout.tail(), stderr: this.buffers.stderr.tail() };
  }

  private emit(stream: LogStream, text: string): void {
    try {
      this.onLog?.(stream, text);
    } catch {
      // A failing log sink must not fail the step; the tail still has the text.
    }
  }
}

/** The last `maxChars` characters of a text, marked when cut; for failure messages. */
export function lastChars(text: string, maxChars = 2048): string {
  const trimmed = text.trimEnd();
  return trimmed.length <= maxChars ? trimmed : `…${trimmed.slice(trimmed.length - maxChars)}`;
}
