import { applyMigrations, type Migration, type MigrationSet, type SqlClient } from '@baton/sql';

/**
 * The API tokens' own schema, migrated apart from the read model (its own
 * history table and lock, like the archive's): tokens are not a projection
 * of the log, and a read-model rebuild must never drop them.
 */
const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'api-tokens',
    sql: `
CREATE TABLE api_tokens (
  token_id     text PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL,
  -- Workflow-id prefixes; NULL means every workflow.
  scopes       jsonb,
  -- scrypt$N$r$p$salt$hash of the secret; the token text itself is never stored.
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL,
  created_by   text NOT NULL,
  revoked_at   timestamptz,
  revoked_by   text
);`,
  },
];

/** "btauth" in ASCII: distinct from the read model's and the archive's lock keys. */
export const AUTH_MIGRATION_LOCK_KEY = 0x627461757468;

const AUTH_SET: MigrationSet = { table: 'baton_auth_migrations', lockKey: AUTH_MIGRATION_LOCK_KEY };

export async function migrateAuthSchema(sql: SqlClient): Promise<void> {
  await applyMigrations(sql, AUTH_MIGRATIONS, AUTH_SET);
}
