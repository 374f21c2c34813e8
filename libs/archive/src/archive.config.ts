import { PgSqlClient, pgTlsFromEnv, type PgTls, type SqlClient } from '@baton/sql';
import type { Environment } from '@baton/platform';
import type { EventArchive } from './event-archive.port';
import { EventStoreDbEventArchive } from './eventstoredb/eventstoredb-event-archive';
import { migrateArchive } from './postgres/archive-schema';
import { PostgresEventArchive } from './postgres/postgres-event-archive';

/**
 * Which archive a process uses, read once from the environment its `main.ts` passes in:
 * - `BATON_ARCHIVE=postgres` (default): PostgreSQL. `BATON_ARCHIVE_DATABASE_URL`
 *   names its own server; unset, the archive's tables live in the read-model
 *   database (`BATON_DATABASE_URL`, or PGlite in the embedded default).
 * - `BATON_ARCHIVE=eventstoredb`: `BATON_EVENTSTORE_URL`, e.g.
 *   `esdb://127.0.0.1:2113?tls=false`.
 */
export type ArchiveConfig =
  /** `ssl`: the read model's `BATON_DATABASE_SSL*` settings, applied to `BATON_ARCHIVE_DATABASE_URL` too. */
  | { readonly kind: 'postgres'; readonly url?: string; readonly ssl?: PgTls }
  | { readonly kind: 'eventstoredb'; readonly url: string };

export function loadArchiveConfig(env: Environment): ArchiveConfig {
  const kind = env.BATON_ARCHIVE ?? 'postgres';
  if (kind === 'postgres') {
    const url = env.BATON_ARCHIVE_DATABASE_URL;
    const ssl = pgTlsFromEnv(env);
    return url ? { kind, url, ...(ssl === undefined ? {} : { ssl }) } : { kind };
  }
  if (kind === 'eventstoredb') {
    const url = env.BATON_EVENTSTORE_URL;
    if (!url)
      throw new Error('BATON_ARCHIVE=eventstoredb needs BATON_EVENTSTORE_URL (esdb://host:2113?tls=false)');
    return { kind, url: eventStoreUrlWithTls(url, env) };
  }
  throw new Error(`BATON_ARCHIVE must be 'postgres' or 'eventstoredb', got '${kind}'`);
}

/**
 * EventStoreDB TLS from the environment, written into the connection string
 * (the client's own settings): `BATON_EVENTSTORE_TLS` (`true`/`false`),
 * `BATON_EVENTSTORE_TLS_CA_FILE` (a PEM file the server's certificate must chain
 * to), `BATON_EVENTSTORE_TLS_VERIFY_CERT=false` (a test node's self-signed
 * certificate). A setting the URL already has wins; credentials go in the URL
 * (`esdb://user:password@host:2113`).
 */
export function eventStoreUrlWithTls(url: string, env: Environment): string {
  const settings: [string, string | undefined][] = [
    ['tls', bool(env, 'BATON_EVENTSTORE_TLS')],
    ['tlsVerifyCert', bool(env, 'BATON_EVENTSTORE_TLS_VERIFY_CERT')],
    ['tlsCAFile', env.BATON_EVENTSTORE_TLS_CA_FILE || undefined],
  ];
  const [base, query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const present = new Set([...params.keys()].map((k) => k.toLowerCase()));
  for (const [name, value] of settings) {
    if (value !== undefined && !present.has(name.toLowerCase())) params.set(name, value);
  }
  const text = params.toString();
  return text === '' ? base : `${base}?${text}`;
}

function bool(env: Environment, name: string): string | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be true or false, got '${env[name]}'`);
  return raw;
}

/**
 * The archive `config` names, migrated. `readModel` is the process's
 * read-model database, used when the archive has no database of its own (it
 * stays the caller's to close). Close the archive when done.
 */
export async function openEventArchive(config: ArchiveConfig, readModel: SqlClient): Promise<EventArchive> {
  if (config.kind === 'eventstoredb') return EventStoreDbEventArchive.connect(config.url);
  const sql = config.url
    ? new PgSqlClient({
        connectionString: config.url,
        ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
      })
    : readModel;
  try {
    await migrateArchive(sql);
  } catch (error) {
    if (sql !== readModel) await sql.close();
    throw error;
  }
  return new PostgresEventArchive(sql, { ownsClient: sql !== readModel });
}
