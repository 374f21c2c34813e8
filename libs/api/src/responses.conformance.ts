import type { ApiToken } from '@baton/auth';
import type {
  Page,
  PushResult,
  RunDetail,
  RunEventRecord,
  RunSummary,
  StepLogs,
  WorkflowQueueView,
  WorkflowSummary,
  WorkflowVersion,
} from '@baton/readmodel';
import type * as Api from './responses';
import type { RunActionAnswer } from './runs/commands/run-action-answer';
import type { StartRunAnswer } from './runs/commands/start-run.command';
import type { SendSignalAnswer } from './signals/commands/send-signal.command';
import type { BreakpointsAnswer, WorkflowCommandAnswer } from './workflows/workflow-queue.service';

// Compile-time only (checked by `npm run typecheck`, nothing at run time):
// what each service returns fits the response DTO the OpenAPI document shows
// and clients (the CLI) are typed with. A field added to a view but not to
// its DTO is fine (clients do not see it yet); a DTO field the view lacks, or
// of another type, fails here.

/** JSON has no `readonly`: compare shapes without it. */
type Json<T> = T extends readonly (infer E)[]
  ? Json<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Json<T[K]> }
    : T;
type Fits<Service, Dto> = [Json<Service>] extends [Dto] ? true : false;
/** Fails to compile on the line of a DTO that drifted from its service's type. */
type Check<T extends true> = T;

export type ResponseConformance = [
  Check<Fits<RunDetail, Api.RunDetail>>,
  Check<Fits<Page<RunSummary>, Api.RunPage>>,
  Check<Fits<StepLogs, Api.StepLogs>>,
  Check<Fits<{ items: RunEventRecord[]; nextAfterSeq: number | null }, Api.RunEventsPage>>,
  Check<Fits<StartRunAnswer, Api.StartRunResponse>>,
  Check<Fits<RunActionAnswer, Api.RunActionAnswer>>,
  Check<Fits<PushResult, Api.PushResult>>,
  Check<Fits<WorkflowSummary, Api.WorkflowSummary>>,
  Check<Fits<WorkflowVersion, Api.WorkflowVersion>>,
  Check<Fits<WorkflowQueueView, Api.WorkflowQueue>>,
  Check<Fits<WorkflowCommandAnswer, Api.WorkflowCommandAnswer>>,
  Check<Fits<BreakpointsAnswer, Api.BreakpointsAnswer>>,
  Check<Fits<SendSignalAnswer, Api.SendSignalAnswer>>,
  Check<Fits<ApiToken, Api.ApiTokenView>>,
  Check<Fits<ApiToken & { token: string }, Api.CreatedToken>>,
];
