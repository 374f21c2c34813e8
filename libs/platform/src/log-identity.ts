import type { SqlClient } from '@baton/sql';

/** What the check needs to know of the embedded log. */
export interface LogIdentity {
  readonly logId: string;
  readonly createdOnOpen: boolean;
  readonly dir: string;
}

/** Refused at start: the read model (or the archive beside it) knows a history the log does not. */
export class LogMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogMismatchError';
  }
}

const TABLE = 'baton_event_log_identity';

/**
 * Checks that the read model was built from this event log, and records the
 * log's id in it the first time. The log is the truth: a read model (or an
 * archive in the same database) that knows runs the log does not means the
 * log was lost, emptied or swapped, and going on would start old requests
 * again under their old run ids. So that refuses to start, saying what was
 * found and the ways out, unless `acceptLogId` names this log (the operator
 * has decided to go on with it).
 *
 * Returns a warning to log when it accepted a log the read model did not know.
 */
export async function checkLogIdentity(
  sql: SqlClient,
  log: LogIdentity,
  acceptLogId?: string,
): Promise<string | undefined> {
  // Created here, not by a numbered migration: it belongs to the embedded default only.
  await sql.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       log_id text NOT NULL,
       recorded_at timestamptz NOT NULL DEFAULT now())`,
  );
  const [row] = await sql.query<{ log_id: string }>(`SELECT log_id FROM ${TABLE}`);
  if (row?.log_id === log.logId) return undefined;
  const accepted = acceptLogId === log.logId;
  const wayOut =
    `Restore ${log.dir} from a backup; or, to go on with this log and leave the runs it does not know ` +
    `behind (their requestIds may start new runs), start once with BATON_ACCEPT_EVENT_LOG=${log.logId}`;
  if (row && !accepted) {
    throw new LogMismatchError(
      `the read model was built from event log ${row.log_id}, but ${log.dir}/events.wal is event log ` +
        `${log.logId}${log.createdOnOpen ? ' (just created: the file was missing)' : ''}. ${wayOut}`,
    );
  }
  if (!row && log.createdOnOpen && !accepted) {
    const known = await knownRuns(sql);
    if (known.length > 0) {
      throw new LogMismatchError(
        `the ${known.join(' and the ')}, but ${log.dir}/events.wal was missing and was just created empty. ${wayOut}`,
      );
    }
  }
  await sql.query(
    `INSERT INTO ${TABLE} (singleton, log_id) VALUES (true, $1)
     ON CONFLICT (singleton) DO UPDATE SET log_id = EXCLUDED.log_id, recorded_at = now()`,
    [log.logId],
  );
  return accepted && row
    ? `BATON_ACCEPT_EVENT_LOG: the read model, built from event log ${row.log_id}, goes on with event log ${log.logId}`
    : undefined;
}

/** "read model knows N runs", "archive knows N runs" for each that knows any. */
async function knownRuns(sql: SqlClient): Promise<string[]> {
  const found: string[] = [];
  const [runs] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
  if (runs.n > 0) found.push(`read model knows ${runs.n} runs`);
  const [archive] = await sql.query<{ present: boolean }>(
    "SELECT to_regclass('archive_events') IS NOT NULL AS present",
  );
  if (archive.present) {
    const [archived] = await sql.query<{ n: number }>(
      'SELECT count(DISTINCT run_id)::int AS n FROM archive_events',
    );
    if (archived.n > 0) found.push(`archive knows ${archived.n} runs`);
  }
  return found;
}
