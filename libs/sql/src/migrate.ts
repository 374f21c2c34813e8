import { createHash } from 'node:crypto';
import type { SqlClient } from './sql-client';

/**
 * One schema change. Versions are applied in ascending order, each exactly
 * once, and never edited after release: `applyMigrations` records a checksum
 * of the SQL and refuses to start against a database that applied a different text.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface MigrationResult {
  /** Versions applied by this call, in order; empty when the schema was current. */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly current: number;
}

/** Each schema (the read model's, the archive's, the API tokens') keeps its own history table and lock. */
export interface MigrationSet {
  /** Where applied versions are recorded. */
  readonly table: string;
  /** Advisory lock key serializing migrators of this set. */
  readonly lockKey: number;
}

/**
 * Brings the schema up to date: every migration not yet recorded in
 * `set.table` runs, in version order, in ONE transaction under
 * an advisory lock, so a crash leaves the previous schema and a concurrent
 * migrator waits, then finds nothing to do. Safe to call on every start.
 *
 * Fails when an applied migration's SQL was edited since (checksum), because
 * the database would then not be the schema the code expects.
 *
 * @example
 *   await applyMigrations(sql, MIGRATIONS, { table: 'baton_schema_migrations', lockKey: 0x6261746f6e });
 */
export async function applyMigrations(
  sql: SqlClient,
  migrations: readonly Migration[],
  set: MigrationSet,
): Promise<MigrationResult> {
  assertOrdered(migrations);
  if (!/^[a-z_][a-z0-9_]*$/.test(set.table))
    throw new Error(`migrate: '${set.table}' is not a plain table name`);
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${set.lockKey})`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${set.table} (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await tx.query<{ version: number; name: string; checksum: string }>(
      `SELECT version, name, checksum FROM ${set.table} ORDER BY version`,
    );
    const recorded = new Map(rows.map((row) => [row.version, row]));
    const applied: number[] = [];
    for (const migration of migrations) {
      const checksum = checksumOf(migration);
      const done = recorded.get(migration.version);
      if (done) {
        if (done.checksum !== checksum) {
          throw new Error(
            `migrate: migration ${migration.version} (${migration.name}) was applied with different SQL; ` +
              'released migrations must never change, add a new one instead',
          );
        }
        continue;
      }
      await tx.query(migration.sql);
      await tx.query(`INSERT INTO ${set.table} (version, name, checksum) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        checksum,
      ]);
      applied.push(migration.version);
    }
    // A database migrated by newer code keeps its higher version: old code
    // still runs against an expanded schema during a rolling deploy.
    const current = Math.max(0, ...rows.map((row) => row.version), ...applied);
    return { applied, current };
  });
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    if (!Number.isInteger(migration.version) || migration.version <= (migrations[i - 1]?.version ?? 0)) {
      throw new Error(`migrate: migration versions must be positive and strictly ascending, at index ${i}`);
    }
  });
}
