/**
 * One schema change. Versions are applied in ascending order, each exactly
 * once, and never edited after release: `migrate` records a checksum of the
 * SQL and refuses to start against a database that applied a different text.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
