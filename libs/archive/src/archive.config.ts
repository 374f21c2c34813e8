import { PgSqlClient, type SqlClient } from '@baton/readmodel';
import type { EventArchive } from './event-archive.port';
import { EventStoreDbEventArchive } from './eventstoredb/eventstoredb-event-archive';
import { migrateArchive } from './postgres/archive-schema';
import { PostgresEventArchive } from './postgres/postgres-event-archive';

/**
 * Which archive a process uses, read once from the environment:
 * - `BATON_ARCHIVE=postgres` (default): PostgreSQL. `BATON_ARCHIVE_DATABASE_URL`
 *   names its own server; unset, the archive's tables live in the read-model
 *   database (`BATON_DATABASE_URL`, or PGlite in the embedded default).
 * - `BATON_ARCHIVE=eventstoredb`: `BATON_EVENTSTORE_URL`, e.g.
 *   `esdb://127.0.0.1:2113?tls=false`.
 */
export type ArchiveConfig =
  | { readonly kind: 'postgres'; readonly url?: string }
  | { readonly kind: 'eventstoredb'; readonly url: string };

export function loadArchiveConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const kind = env.BATON_ARCHIVE ?? 'postgres';
  if (kind === 'postgres') {
    const url = env.BATON_ARCHIVE_DATABASE_URL;
    return url ? { kind, url } : { kind };
  }
  if (kind === 'eventstoredb') {
    const url = env.BATON_EVENTSTORE_URL;
    if (!url)
      throw new Error('BATON_ARCHIVE=eventstoredb needs BATON_EVENTSTORE_URL (esdb://host:2113?tls=false)');
    return { kind, url };
  }
  throw new Error(`BATON_ARCHIVE must be 'postgres' or 'eventstoredb', got '${kind}'`);
}

/**
 * The archive `config` names, migrated. `readModel` is the process's
 * read-model database, used when the archive has no database of its own (it
 * stays the caller's to close). Close the archive when done.
 */
export async function openEventArchive(config: ArchiveConfig, readModel: SqlClient): Promise<EventArchive> {
  if (config.kind === 'eventstoredb') return EventStoreDbEventArchive.connect(config.url);
  const sql = config.url ? new PgSqlClient({ connectionString: config.url }) : readModel;
  try {
    await migrateArchive(sql);
  } catch (error) {
    if (sql !== readModel) await sql.close();
    throw error;
  }
  return new PostgresEventArchive(sql, { ownsClient: sql !== readModel });
}
