import type { SqlClient } from '@baton/sql';
import type {
  AppendResult,
  ArchivedEvent,
  EventArchive,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
} from '../event-archive.port';
import { assertWellFormed, planAppend, type AppendPlan } from '../stream-append';

export interface PostgresEventArchiveOptions {
  /** Rows per read query of `readStream`/`readAll`. Default 1000. */
  readonly pageSize?: number;
  /** Close `sql` with the archive (when the archive opened its own database). Default false. */
  readonly ownsClient?: boolean;
}

/**
 * The archive in PostgreSQL, through the `SqlClient` port: the same SQL on a
 * server (`PgSqlClient`) and on PGlite (the embedded default). Tables come
 * from `migrateArchive`; call it before the first append.
 *
 * One `append` call is ONE transaction. In it: a transaction-scoped advisory
 * lock per run (two appenders of one run, e.g. archivers during a rebalance,
 * queue instead of racing past the checks), the streams' revisions, the
 * stored events an append overlaps (re-deliveries only), then one insert of
 * everything new, in call order. Every statement takes its values as
 * arrays, so its text does not depend on how many runs or events a call
 * holds and the client's prepared statement for it is reused. `ON CONFLICT DO NOTHING` on
 * `(run_id, seq)` backs the idempotency rule in the database itself.
 *
 * Global order is `global_position`, assigned at insert. A reader racing
 * concurrent appenders could see a later position commit before an earlier
 * one; `readAll` is for rebuilds and catch-up over a quiet range, not a live
 * subscription.
 */
export class PostgresEventArchive implements EventArchive {
  private readonly pageSize: number;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: PostgresEventArchiveOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  async append(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    appends.forEach(assertWellFormed);
    const runIds = [...new Set(appends.map((a) => a.runId))];
    if (runIds.length !== appends.length) {
      throw new RangeError('append: one StreamAppend per run per call');
    }
    return this.sql.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock(k) FROM (
           SELECT DISTINCT hashtextextended('baton-archive:' || r, 0) AS k
             FROM unnest($1::text[]) AS v(r)
         ) AS keys ORDER BY k`,
        [runIds],
      );
      const revisions = await readRevisions(tx, runIds);
      const plans: AppendPlan[] = [];
      for (const append of appends) {
        const revision = revisions.get(append.runId) ?? 0;
        const stored = revision > append.expectedRevision ? await readOverlap(tx, append, revision) : EMPTY;
        plans.push(planAppend(append, revision, stored));
      }
      await insertEvents(
        tx,
        plans.flatMap((plan) => plan.toWrite),
      );
      return appends.map((append, i) => {
        const plan = plans[i]!;
        const last = append.events[append.events.length - 1]!;
        return {
          runId: append.runId,
          appended: plan.toWrite.length,
          duplicates: plan.duplicates,
          revision: Math.max(revisions.get(append.runId) ?? 0, last.seq),
        };
      });
    });
  }

  async *readStream(runId: string, options: ReadStreamOptions = {}): AsyncIterable<ArchivedEvent> {
    let from = options.fromSeq ?? 1;
    for (;;) {
      const rows = await this.sql.query<EventRow>(
        `${SELECT_EVENTS} WHERE run_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
        [runId, from, this.pageSize],
      );
      for (const row of rows) yield toArchived(row);
      if (rows.length < this.pageSize) return;
      from = Number(rows[rows.length - 1]!.seq) + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<ArchivedEvent> {
    let after = options.after ?? '0';
    if (!/^\d+$/.test(after))
      throw new RangeError(`readAll: '${after}' is not a PostgreSQL archive position`);
    for (;;) {
      const rows = await this.sql.query<EventRow>(
        `${SELECT_EVENTS} WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`,
        [after, this.pageSize],
      );
      for (const row of rows) yield toArchived(row);
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]!.position;
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.sql.close();
  }
}

const EMPTY: ReadonlyMap<number, string> = new Map();

interface EventRow {
  position: string;
  run_id: string;
  seq: number | string;
  type: string;
  schema_version: number;
  at: Date;
  event: string;
}

// `event::text`: the stored text as is (a plain `json` column would come back parsed).
const SELECT_EVENTS = `SELECT global_position::text AS position, run_id, seq, type, schema_version, at,
  event::text AS event FROM archive_events`;

function toArchived(row: EventRow): ArchivedEvent {
  return {
    position: row.position,
    runId: row.run_id,
    seq: Number(row.seq),
    type: row.type,
    schemaVersion: row.schema_version,
    at: row.at.getTime(),
    json: row.event,
  };
}

async function readRevisions(tx: SqlClient, runIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ run_id: string; revision: number | string }>(
    `SELECT run_id, max(seq) AS revision FROM archive_events
      WHERE run_id = ANY($1::text[]) GROUP BY run_id`,
    [runIds],
  );
  return new Map(rows.map((row) => [row.run_id, Number(row.revision)]));
}

async function readOverlap(
  tx: SqlClient,
  append: StreamAppend,
  revision: number,
): Promise<Map<number, string>> {
  const rows = await tx.query<{ seq: number | string; event: string }>(
    'SELECT seq, event::text AS event FROM archive_events WHERE run_id = $1 AND seq > $2 AND seq <= $3',
    [append.runId, append.expectedRevision, revision],
  );
  return new Map(rows.map((row) => [Number(row.seq), row.event]));
}

async function insertEvents(tx: SqlClient, events: StreamAppend['events']): Promise<void> {
  if (events.length === 0) return;
  // Array order is insert order, hence global_position order.
  await tx.query(
    `INSERT INTO archive_events (run_id, seq, type, schema_version, at, event)
     SELECT run_id, seq, type, schema_version, at, event
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $5::timestamptz[], $6::json[])
            WITH ORDINALITY AS e(run_id, seq, type, schema_version, at, event, n)
      ORDER BY n
     ON CONFLICT (run_id, seq) DO NOTHING`,
    [
      events.map((e) => e.runId),
      events.map((e) => e.seq),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      events.map((e) => new Date(e.at).toISOString()),
      events.map((e) => e.json),
    ],
  );
}
