import { createHash } from 'node:crypto';
import type { Migration, SqlClient } from '@baton/readmodel';

/**
 * The archive's schema, versioned on its own (`baton_archive_migrations`),
 * not among the read model's migrations: the archive is the permanent record
 * and the read model a projection that can be dropped and rebuilt from it,
 * so the two must be able to live in different databases and evolve apart.
 * By default they share one (the read model's PostgreSQL, or PGlite in the
 * embedded default), as two sets of tables.
 *
 * `archive_events`:
 * - `global_position` (identity) is the archive's global order, in insert
 *   order; a run's events are inserted in seq order, so it is seq order
 *   within a run too.
 * - `(run_id, seq)` is the event's Baton id, unique: the idempotency key.
 * - `event` is `json` (not `jsonb`) so the text is kept exactly as published.
 */
export const ARCHIVE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'archive-events',
    sql: `
CREATE TABLE archive_events (
  global_position  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id           text NOT NULL,
  seq              bigint NOT NULL CHECK (seq > 0),
  type             text NOT NULL,
  schema_version   integer NOT NULL,
  at               timestamptz NOT NULL,
  event            json NOT NULL,
  archived_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT archive_events_run_seq UNIQUE (run_id, seq)
);
`,
  },
];

/** Serializes archive migrators ("archiv" in ASCII, within 2^53); distinct from the read model's key. */
const ARCHIVE_MIGRATION_LOCK_KEY = 0x617263686976;

/**
 * Brings the archive's tables up to date, in one transaction under an
 * advisory lock (two processes starting at once: one migrates, the other
 * then finds nothing to do). Safe on every start. Refuses a database where
 * an applied migration's SQL differs from the code's.
 */
export async function migrateArchive(
  sql: SqlClient,
  migrations: readonly Migration[] = ARCHIVE_MIGRATIONS,
): Promise<{ applied: number[] }> {
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ARCHIVE_MIGRATION_LOCK_KEY})`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS baton_archive_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM baton_archive_migrations',
    );
    const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
    const applied: number[] = [];
    for (const migration of migrations) {
      const checksum = createHash('sha256').update(migration.sql).digest('hex');
      const done = recorded.get(migration.version);
      if (done !== undefined) {
        if (done !== checksum) {
          throw new Error(
            `migrateArchive: migration ${migration.version} (${migration.name}) was applied with different SQL`,
          );
        }
        continue;
      }
      await tx.query(migration.sql);
      await tx.query('INSERT INTO baton_archive_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum,
      ]);
      applied.push(migration.version);
    }
    return { applied };
  });
}
