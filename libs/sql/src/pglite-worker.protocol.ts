/**
 * The messages between `PGliteWorkerSqlClient` (the engine's thread) and
 * `pglite-worker.ts` (the thread PGlite runs on). Every request carries an
 * id its one reply echoes; values cross by structured clone (Dates, bigints
 * and parsed JSON arrive as they left).
 */
export type WorkerRequest =
  | {
      readonly id: number;
      readonly op: 'query';
      readonly sql: string;
      readonly params?: readonly unknown[];
      readonly tx?: number;
    }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'close' };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError }
  | { readonly op: 'ready' }
  | { readonly op: 'failed'; readonly error: SerializedError }
  | { readonly op: 'vacuumError'; readonly error: SerializedError };

/** What the worker is opened with (`workerData`). */
export interface WorkerOptions {
  readonly dataDir?: string;
  readonly vacuumEveryMs?: number;
}

/**
 * An error as it crosses the thread boundary. Structured clone keeps only an
 * Error's message and stack, so the fields callers branch on (PostgreSQL's
 * `code`, `detail`, ...) travel as plain properties and are put back.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      fields[key] = value as string | number | boolean | null;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

export function deserializeError(error: SerializedError): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
