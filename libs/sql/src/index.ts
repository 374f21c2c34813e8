export type { SqlClient } from './sql-client';
export { jsonbText, jsonParam, isUniqueViolation, sqlState } from './sql-client';
export { PgSqlClient, pgTlsFromEnv } from './pg-sql-client';
export type { PgSqlClientOptions, PgTls } from './pg-sql-client';
export { PGliteSqlClient } from './pglite-sql-client';
export { PGliteWorkerSqlClient } from './pglite-worker-sql-client';
export type { PGliteSqlClientOptions } from './pglite-sql-client';
export { applyMigrations } from './migrate';
export type { Migration, MigrationResult, MigrationSet } from './migrate';
