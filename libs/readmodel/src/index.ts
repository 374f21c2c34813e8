export { migrate, MIGRATION_LOCK_KEY } from './read-model-schema';
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
