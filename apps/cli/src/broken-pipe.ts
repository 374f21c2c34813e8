import type { Writable } from 'node:stream';

interface ProcessLike {
  readonly stdout: Writable;
  readonly stderr: Writable;
  exitCode?: number | string | undefined;
  exit(code?: number): never;
}

/**
 * `baton ... | head -3`: once `head` has read enough it closes the pipe, and
 * the next write fails with EPIPE, which Node raises as an unhandled 'error'
 * event (a stack trace, exit 1). Nobody reads any more, so there is nothing
 * left to say: exit at once with the code so far, as `git log | head` does.
 */
export function exitQuietlyOnBrokenPipe(target: ProcessLike): void {
  for (const stream of [target.stdout, target.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      target.exit(typeof target.exitCode === 'number' ? target.exitCode : 0);
    });
  }
}
