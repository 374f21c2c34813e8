import { readFileSync } from 'node:fs';
import { Pool, types as pgTypes, type CustomTypesConfig, type PoolClient } from 'pg';

/** TLS to PostgreSQL, as pg takes it: PEM contents; `rejectUnauthorized: false` encrypts without verifying. */
export interface PgTls {
  readonly rejectUnauthorized: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}
import { INT8_OID, parseInt8, TransactionScope, type SqlClient } from './sql-client';

export interface PgSqlClientOptions {
  /** e.g. `postgres://baton@db:5432/baton`; the usual source is env `BATON_DATABASE_URL`. */
  readonly connectionString: string;
  /** Pool size; pg's default (10) unless set. */
  readonly maxConnections?: number;
  /** Sets `search_path` on every connection, to keep the read model in its own schema. */
  readonly schema?: string;
  /** TLS (`pgTlsFromEnv`). An `sslmode` in the connection string takes precedence, as in pg. */
  readonly ssl?: PgTls;
}

const PG_SSL_MODES = ['disable', 'require', 'verify-full'] as const;

/**
 * PostgreSQL TLS from the environment (README's configuration table), for the
 * read model and a PostgreSQL archive alike:
 * - `BATON_DATABASE_SSL`: `disable` (default: plaintext unless the URL says
 *   `sslmode=...`), `require` (encrypted, certificate not checked) or
 *   `verify-full` (certificate checked against `BATON_DATABASE_SSL_CA_FILE`, or
 *   the system's CAs, and the host name);
 * - `BATON_DATABASE_SSL_CERT_FILE` + `BATON_DATABASE_SSL_KEY_FILE`: a client certificate.
 */
export function pgTlsFromEnv(
  env: NodeJS.ProcessEnv,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): PgTls | undefined {
  const mode = (env.BATON_DATABASE_SSL ?? 'disable').toLowerCase();
  if (!(PG_SSL_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `BATON_DATABASE_SSL must be one of ${PG_SSL_MODES.join(', ')}, got '${env.BATON_DATABASE_SSL}'`,
    );
  }
  if (mode === 'disable') return undefined;
  const file = (name: string) => (env[name] ? read(env[name]) : undefined);
  const ca = file('BATON_DATABASE_SSL_CA_FILE');
  const cert = file('BATON_DATABASE_SSL_CERT_FILE');
  const key = file('BATON_DATABASE_SSL_KEY_FILE');
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error('BATON_DATABASE_SSL_CERT_FILE and BATON_DATABASE_SSL_KEY_FILE go together');
  }
  return {
    rejectUnauthorized: mode === 'verify-full',
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert, key }),
  };
}

// Per-pool parsers, never pg's global `types.setTypeParser`: other code in the
// process (or another pool) keeps pg's defaults.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pgTypes.getTypeParser(oid, format as 'text')) as CustomTypesConfig['getTypeParser'],
};

/**
 * `SqlClient` over a real PostgreSQL server through a `pg.Pool`. Each
 * transaction holds one pooled connection for its duration; plain queries
 * take any free connection.
 *
 * @example
 *   const sql = new PgSqlClient({ connectionString: config.database.url });
 *   await migrate(sql);
 */
export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;

  constructor(options: PgSqlClientOptions) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new Error(`PgSqlClient: schema must be a lower-case SQL identifier, got "${options.schema}"`);
    }
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections,
      types: typeParsers,
      options: options.schema === undefined ? undefined : `-c search_path=${options.schema}`,
      ...(options.ssl === undefined ? {} : { ssl: { ...options.ssl } }),
    });
    // An idle connection that dies (server restart) must not crash the process;
    // the next query gets a fresh connection and its own error if any.
    this.pool.on('error', () => undefined);
  }

  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    return run<T>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const scope = new TransactionScope((sql, params) => run(client, sql, params));
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(scope);
      scope.end();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      scope.end();
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is in an unknown state: destroy it rather than pool it.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function run<T>(target: Pool | PoolClient, sql: string, params?: readonly unknown[]): Promise<T[]> {
  // Without values pg uses the simple protocol, which accepts several statements.
  const result = await target.query(sql, params && params.length > 0 ? [...params] : undefined);
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return (last?.rows ?? []) as T[];
}
