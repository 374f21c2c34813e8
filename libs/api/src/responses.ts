/**
 * The JSON the API answers, as a TypeScript client reads it (the `baton`
 * CLI): the OpenAPI response DTOs, as types only, so a client imports no
 * Nest runtime and never the read model's SQL view types. The controllers
 * declare these DTOs as their return types, so the compiler checks that what
 * the services return fits what the document (and so a client) promises.
 *
 * @example
 *   import type { RunDetail } from '@baton/api/responses';
 */
export type {
  RunDetailDto as RunDetail,
  RunEventDto as RunEvent,
  RunEventsPageDto as RunEventsPage,
  RunFailureDto as RunFailure,
  RunPageDto as RunPage,
  RunParentDto as RunParent,
  RunSummaryDto as RunSummary,
  StartRunResponseDto as StartRunResponse,
  StepAttemptDto as StepAttempt,
  StepLogsDto as StepLogs,
  StepViewDto as StepView,
  LoopProgressDto as LoopProgress,
} from './runs/runs.responses.dto';
export type { RunActionResponseDto as RunActionAnswer } from './runs/run-actions.dto';
export type {
  PushResultDto as PushResult,
  WorkflowSummaryDto as WorkflowSummary,
  WorkflowVersionDto as WorkflowVersion,
} from './workflows/workflows.dto';
export type {
  BreakpointsAcceptedDto as BreakpointsAnswer,
  WorkflowCommandAcceptedDto as WorkflowCommandAnswer,
  WorkflowQueueDto as WorkflowQueue,
  QueuedRunDto as QueuedRun,
  DroppedRequestDto as DroppedRequest,
} from './workflows/workflow-queue.dto';
export type { SendSignalResponseDto as SendSignalAnswer } from './signals/signals.dto';
export type { ApiTokenDto as ApiTokenView, CreatedTokenDto as CreatedToken } from './auth/tokens.dto';
