export type { SqlClient } from './sql-client';
export { jsonbText, jsonParam, isUniqueViolation, sqlState } from './sql-client';
export { PgSqlClient, pgTlsFromEnv } from './pg-sql-client';
export type { PgSqlClientOptions, PgTls } from './pg-sql-client';
export { PGliteSqlClient } from './pglite-sql-client';
export type { PGliteSqlClientOptions } from './pglite-sql-client';
export { migrate, MIGRATION_LOCK_KEY } from './migrate';
export type { MigrationResult, MigrationSet } from './migrate';
export type { Migration } from './migrations';
export { WorkflowRegistry, WorkflowNotFoundError, WorkflowVersionNotFoundError } from './workflow-registry';
export type {
  PushResult,
  PushWorkflow,
  RegistryOutcome,
  VersionSelector,
  WorkflowDefinitionDraft,
  WorkflowSummary,
  WorkflowVersion,
} from './workflow-registry';
export { RunQueries, InvalidCursorError, MAX_PAGE_SIZE } from './run-queries';
export type {
  DroppedRunRequest,
  ListChildRunsQuery,
  ListRunsQuery,
  Page,
  RunDetail,
  RunEventRecord,
  RunParent,
  RunSummary,
  StepAttemptView,
  StepLogs,
  StepView,
} from './run-queries';
export { WorkflowQueueQueries, MAX_QUEUE_PAGE, RECENT_DROPS_SHOWN } from './workflow-queue-queries';
export type {
  DroppedRequestView,
  QueuedRunView,
  RecordedDropReason,
  WorkflowQueueView,
  QueueQuery,
} from './workflow-queue-queries';
export {
  RegistryClient,
  RegistryRejectedError,
  RegistryUnavailableError,
  type RegistryClientOptions,
} from './workflow-registry.client';
