import type { BatonClient } from '../api-client';
import { UsageError } from '../context';

/** Hex and dashes, shorter than a whole id (36): the start of a top-level run id (a UUID). */
const PREFIX = /^[0-9a-f][0-9a-f-]{3,34}$/i;
/** Candidates listed when a prefix is ambiguous. */
const SHOWN = 5;

/**
 * The run id a user typed, or the one run id that starts with it, as git
 * takes a short hash: 4+ hex characters of a top-level run's id resolve
 * through `GET /runs?runIdPrefix=` (the same search as the web UI's). Anything
 * else (a whole id, a child run's `parent~step~attempt~index`) is used as typed.
 * No run, or several, is a usage error naming the candidates.
 *
 * @example
 *   await resolveRunId(client, '287b603f'); // '287b603f-d7e6-81bf-9b57-a28ce28e6fae'
 */
export async function resolveRunId(client: BatonClient, typed: string): Promise<string> {
  if (!PREFIX.test(typed)) return typed;
  const prefix = typed.toLowerCase();
  const page = await client.listRuns({ runIdPrefix: prefix, limit: SHOWN });
  const [only, ...others] = page.items;
  if (only === undefined) throw new UsageError(`no run id starts with ${typed} (baton runs lists them)`);
  if (others.length === 0 && page.nextCursor === null) return only.runId;
  const listed = page.items.map((run) => `  ${run.runId}  ${run.workflowId}  ${run.status}\n`).join('');
  const more = page.nextCursor === null ? '' : '  ...\n';
  throw new UsageError(
    `run id prefix ${typed} is ambiguous; give more characters. Runs it matches:\n${listed}${more}`.trimEnd(),
  );
}
