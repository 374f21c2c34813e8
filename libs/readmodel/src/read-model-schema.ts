import { applyMigrations, type MigrationResult, type MigrationSet, type SqlClient } from '@baton/sql';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Key of the transaction-scoped advisory lock that serializes read-model
 * migrators ("baton" in ASCII). On PostgreSQL two processes starting at once
 * queue on it; on PGlite (one connection) it is granted at once and harmless.
 */
export const MIGRATION_LOCK_KEY = 0x6261746f6e;

const READ_MODEL: MigrationSet = { table: 'baton_schema_migrations', lockKey: MIGRATION_LOCK_KEY };

/**
 * Brings the read model's schema up to date (`applyMigrations` of @baton/sql
 * with the read model's migrations, history table and lock). Safe to call on
 * every start.
 *
 * @example
 *   const sql = await PGliteSqlClient.open({ dataDir });
 *   await migrate(sql);
 */
export function migrate(
  sql: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  return applyMigrations(sql, migrations, READ_MODEL);
}
