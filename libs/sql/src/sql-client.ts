/**
 * The one port the read model talks to PostgreSQL through. Two adapters pass
 * the same contract suite: `PgSqlClient` (a real server, `pg.Pool`) and
 * `PGliteSqlClient` (embedded WASM PostgreSQL, one process, no server), so the
 * same SQL serves production and the embedded default.
 *
 * Conventions both adapters guarantee (see `sql-client.contract.ts`):
 * - Placeholders are `$1..$n`. A call without params may hold several
 *   statements (migrations); it returns the rows of the last one.
 * - `int8`/`bigint` columns come back as JS numbers when within
 *   `Number.MAX_SAFE_INTEGER`, as `bigint` beyond (lossless, and loud if
 *   JSON-serialized). Cast to `::text` in SQL where a value may exceed 2^53.
 * - `json`/`jsonb` columns come back parsed. Send JSON values as text made by
 *   `jsonParam(value)` and cast: `$1::jsonb`. (Never pass an array or a bare
 *   string for a jsonb param: `pg` turns JS arrays into PostgreSQL array
 *   literals and sends strings verbatim, PGlite would stringify them.)
 * - `timestamptz` comes back as a `Date`; send a `Date` (or ISO string).
 * - `numeric` comes back as a string (both libraries' default, kept).
 * - Errors carry the SQLSTATE in `code` (`isUniqueViolation`).
 *
 * @example
 *   const rows = await sql.query<{ run_id: string }>('SELECT run_id FROM runs WHERE status = $1', ['running']);
 *   await sql.transaction(async (tx) => {
 *     await tx.query('UPDATE runs SET status = $2 WHERE run_id = $1', [runId, 'failed']);
 *     await tx.query('INSERT INTO run_events (run_id, seq, type, at, payload) VALUES ($1, $2, $3, $4, $5::jsonb)', [...]);
 *   });
 */
export interface SqlClient {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it
   * throws (and rethrows). Use only `tx` inside `fn`. Concurrent callers queue
   * on PGlite (one connection) and run side by side on PostgreSQL (a pooled
   * connection each). `tx.transaction` nests as a SAVEPOINT.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** JSON text for a `$n::jsonb` parameter; see the conventions above. */
export function jsonParam(value: unknown): string {
  return jsonbText(JSON.stringify(value));
}

/**
 * JSON text that a `jsonb` column takes: PostgreSQL refuses the escape
 * `\u0000` (NUL) in jsonb, and one such string in a param or a reason would
 * fail every batch that carries it, for ever. The read model shows U+FFFD
 * there; the log keeps the original. An escaped backslash before `u0000`
 * (`\\u0000`, the text itself) is left alone.
 */
export function jsonbText(json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
}

/** The one `int8` parser both adapters install: a number when exact, a bigint otherwise. */
export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** The PostgreSQL type oid of `int8`, the same in every server. */
export const INT8_OID = 20;

/** SQLSTATE 23505, raised by both adapters on a unique or primary-key conflict. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * The part of a transaction both adapters share: a nested `transaction` call
 * becomes a savepoint, so an inner failure rolls back only its own work, and
 * a handle used after its transaction ended fails loudly instead of running
 * outside any transaction.
 */
export class TransactionScope implements SqlClient {
  private depth = 0;
  private closed = false;

  constructor(private readonly run: (sql: string, params?: readonly unknown[]) => Promise<object[]>) {}

  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    if (this.closed) throw new Error('SqlClient: transaction handle used after its transaction ended');
    return (await this.run(sql, params)) as T[];
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const name = `baton_sp_${++this.depth}`;
    await this.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.query(`RELEASE SAVEPOINT ${name}`);
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** Ends the handle; called by the adapter once COMMIT or ROLLBACK ran. */
  end(): void {
    this.closed = true;
  }

  async close(): Promise<void> {
    throw new Error('SqlClient: close the client, not a transaction handle');
  }
}
