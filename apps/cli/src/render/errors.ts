import { BatonApiError, BatonUnreachableError, type ApiFieldError } from '../api-client';
import { EXIT, UsageError, type Output } from '../context';

/**
 * One line per error, the way compilers print them so editors can jump there:
 * `FILE:line:col  $.path  message` (`FILE  $.path  message` without a position).
 */
export function formatFieldErrors(errors: readonly ApiFieldError[], file?: string): string {
  return byPosition(errors)
    .map((error) => {
      const position = error.line === undefined ? '' : `:${error.line}:${error.column ?? 1}`;
      const where = file === undefined ? (position === '' ? '' : position.slice(1)) : `${file}${position}`;
      return `${where === '' ? '' : `${where}  `}${error.path}  ${error.message}\n`;
    })
    .join('');
}

/**
 * In file order, by line then column, as an editor lists them; errors with no
 * position (about the whole document) last. Stable: equal positions keep the
 * validator's order.
 */
export function byPosition<T extends ApiFieldError>(errors: readonly T[]): T[] {
  const key = (error: ApiFieldError): [number, number] => [
    error.line ?? Number.POSITIVE_INFINITY,
    error.column ?? 0,
  ];
  return [...errors].sort((a, b) => {
    const [lineA, columnA] = key(a);
    const [lineB, columnB] = key(b);
    return lineA === lineB ? columnA - columnB : lineA - lineB;
  });
}

/** Prints any error a command threw and returns the exit code for it (3). */
export function reportError(error: unknown, stderr: Output): number {
  if (error instanceof BatonUnreachableError) {
    stderr.write(`error: ${error.message}\n  (${error.detail})\n`);
  } else if (error instanceof BatonApiError) {
    stderr.write(`error: ${error.message}\n`);
    if (error.status === 401) {
      stderr.write(
        '  (pass --token or set BATON_TOKEN; npm start writes an admin token to .baton/admin-token)\n',
      );
    }
    stderr.write(indent(formatFieldErrors(error.errors)));
  } else if (error instanceof UsageError) {
    stderr.write(`error: ${error.message}\n`);
  } else {
    stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return EXIT.error;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}
