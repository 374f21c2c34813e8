import { createHash } from 'node:crypto';

/** The stream of one run in EventStoreDB. */
export const RUN_STREAM_PREFIX = 'baton-run-';

export function runStreamName(runId: string): string {
  return `${RUN_STREAM_PREFIX}${runId}`;
}

/** Baton's namespace for name-based (v5) event ids; fixed forever, ids depend on it. */
const NAMESPACE = Buffer.from('6f1d4c2a8b3e4f5a9c7d0e1f2a3b4c5d', 'hex');

/**
 * The EventStoreDB event id of a run event: a UUID v5 (RFC 9562, SHA-1,
 * name-based) of `<runId>/<seq>`, so the same Baton event always gets the
 * same id. EventStoreDB treats a write of ids it already holds at that
 * revision as idempotent, which backs the archive's re-append rule on the
 * server too.
 */
export function eventIdFor(runId: string, seq: number): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${runId}/${seq}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
