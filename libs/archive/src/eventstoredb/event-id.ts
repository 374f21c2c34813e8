import { v5 as uuidV5 } from 'uuid';

/** The stream of one run in EventStoreDB. */
export const RUN_STREAM_PREFIX = 'baton-run-';

export function runStreamName(runId: string): string {
  return `${RUN_STREAM_PREFIX}${runId}`;
}

/** Baton's namespace for name-based (v5) event ids; fixed forever, ids depend on it. */
const NAMESPACE = '6f1d4c2a-8b3e-4f5a-9c7d-0e1f2a3b4c5d';

/**
 * The EventStoreDB event id of a run event: a UUID v5 (RFC 9562, SHA-1,
 * name-based) of `<runId>/<seq>`, so the same Baton event always gets the
 * same id. EventStoreDB treats a write of ids it already holds at that
 * revision as idempotent, which backs the archive's re-append rule on the
 * server too. `event-id.spec.ts` pins known ids: they must never change.
 */
export function eventIdFor(runId: string, seq: number): string {
  return uuidV5(`${runId}/${seq}`, NAMESPACE);
}
