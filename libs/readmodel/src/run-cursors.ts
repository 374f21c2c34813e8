/**
 * Keyset cursors of the run lists: opaque to callers (base64url JSON), each
 * holding the sort key of the last row of the page it continues after.
 */

/** A cursor that was not made by the list it is passed to (or was altered): the API answers 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor: pass back the nextCursor of the previous page unchanged');
    this.name = 'InvalidCursorError';
  }
}

/** `listRuns`: newest first. */
export interface RunCursor {
  /** UTC timestamp text with microseconds (see `CURSOR_KEY` in run-queries). */
  readonly createdAt: string;
  readonly runId: string;
}

/** `listChildRuns`: by parent step, attempt and iteration index. */
export interface ChildRunCursor {
  readonly stepId: string;
  readonly attempt: number;
  readonly index: number;
  readonly runId: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return encode([cursor.createdAt, cursor.runId]);
}

export function decodeRunCursor(text: string): RunCursor {
  const value = decode(text);
  if (
    value.length === 2 &&
    typeof value[0] === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
    typeof value[1] === 'string'
  ) {
    return { createdAt: value[0], runId: value[1] };
  }
  throw new InvalidCursorError();
}

export function encodeChildRunCursor(cursor: ChildRunCursor): string {
  return encode([cursor.stepId, cursor.attempt, cursor.index, cursor.runId]);
}

export function decodeChildRunCursor(text: string): ChildRunCursor {
  const value = decode(text);
  if (
    value.length === 4 &&
    typeof value[0] === 'string' &&
    Number.isSafeInteger(value[1]) &&
    Number.isSafeInteger(value[2]) &&
    typeof value[3] === 'string'
  ) {
    return { stepId: value[0], attempt: value[1] as number, index: value[2] as number, runId: value[3] };
  }
  throw new InvalidCursorError();
}

function encode(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decode(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value)) throw new InvalidCursorError();
  return value;
}
