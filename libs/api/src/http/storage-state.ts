/** Seconds a client is told to wait after a write met full storage (the `Retry-After` header). */
export const STORAGE_FULL_RETRY_AFTER_S = 30;

/**
 * Whether this process's storage (the embedded log, PGlite, or the database
 * server) refused a write for lack of space recently: true for
 * `STORAGE_FULL_RETRY_AFTER_S` after the last refusal, so it clears by itself
 * once writes succeed again. The API answers such writes 503 with
 * `Retry-After`; a readiness check reads `full` (see `isStorageFull`).
 */
export class StorageState {
  private lastFullAt: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  markFull(): void {
    this.lastFullAt = this.now();
  }

  get full(): boolean {
    return this.lastFullAt !== undefined && this.now() - this.lastFullAt < STORAGE_FULL_RETRY_AFTER_S * 1000;
  }
}

/** ENOSPC from Node's fs (the embedded log, PGlite's files), or PostgreSQL's disk_full (53100). */
export function isStorageFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'ENOSPC' || code === '53100') return true;
  return typeof message === 'string' && /ENOSPC|No space left on device|could not extend file/i.test(message);
}
