import { applyMigrations, type Migration, type SqlClient } from '@baton/sql';

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
 * Brings the archive's tables up to date with the read model's migration
 * runner (one transaction under an advisory lock; refuses an applied
 * migration whose SQL changed), on its own history table and lock.
 */
export async function migrateArchive(
  sql: SqlClient,
  migrations: readonly Migration[] = ARCHIVE_MIGRATIONS,
): Promise<{ applied: readonly number[] }> {
  const { applied } = await applyMigrations(sql, migrations, {
    table: 'baton_archive_migrations',
    lockKey: ARCHIVE_MIGRATION_LOCK_KEY,
  });
  return { applied };
}
