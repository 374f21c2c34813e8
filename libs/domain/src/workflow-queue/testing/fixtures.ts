import type { StartRun } from '../../run/run.commands';
import type { RunStrategy, WorkflowDefinition } from '../../workflow/workflow-definition';
import type {
  ActivateWorkflowVersion,
  CancelQueuedRun,
  DeactivateWorkflow,
  PauseWorkflow,
  PushWorkflowVersion,
  WorkflowDefinitionDraft,
  RequestRun,
  ResumeWorkflow,
  RunEnded,
  SetWorkflowBreakpoints,
  UnblockWorkflow,
} from '../workflow-queue.commands';
import type { RunDropReason, WorkflowEventDraft } from '../workflow-queue.events';

/** The fixed fake clock: every spec time is `T0 + offset`. */
export const T0 = 1_700_000_000_000;
export const WORKFLOW_ID = 'etl';

export const PARALLEL: RunStrategy = { kind: 'parallel' };
export const SEQUENTIAL: RunStrategy = { kind: 'sequential' };
export const STRICT: RunStrategy = { kind: 'strict_sequential' };
export const FIRST_ONLY: RunStrategy = { kind: 'first_only' };
export const LAST_ONLY: RunStrategy = { kind: 'last_only' };
export const SERIAL_LATEST_ONLY: RunStrategy = { kind: 'serial_latest_only' };
export const parallelUpTo = (maxConcurrent: number): RunStrategy => ({ kind: 'parallel', maxConcurrent });

/** A one-step version of the workflow with `runStrategy`. */
export function version(runStrategy: RunStrategy, number = 1): WorkflowDefinition {
  return {
    id: WORKFLOW_ID,
    version: number,
    name: WORKFLOW_ID,
    description: '',
    tags: [],
    params: [],
    runStrategy,
    steps: [
      {
        id: 'extract',
        type: 'noop',
        params: {},
        retry: {
          userErrorLimit: 0,
          platformErrorLimit: 0,
          timeoutLimit: 0,
          backoff: { kind: 'fixed', delayMs: 1_000 },
        },
        failureMode: 'fail_immediately',
        outputs: {},
        pool: 'default',
      },
    ],
    edges: [],
  };
}

/** The StartRun admission makes for request `n` (run id `run-<n>`). */
export function startOf(
  n: number,
  definition: WorkflowDefinition,
  breakpoints?: readonly string[],
): StartRun {
  return {
    type: 'StartRun',
    runId: `run-${n}`,
    definition,
    params: { n },
    requestId: `request-${n}`,
    scheduledAt: T0,
    metadata: { commandId: `admit/run-${n}`, at: T0 },
    ...(breakpoints === undefined ? {} : { breakpoints }),
  };
}

let counter = 0;
function meta(at: number) {
  counter += 1;
  return { workflowId: WORKFLOW_ID, metadata: { commandId: `c${counter}`, at: T0 + at } };
}

/** Command builders; `at` is the offset from T0 in ms. */
export const wq = {
  push: (
    definition: WorkflowDefinitionDraft,
    activate: boolean,
    expectedVersion?: number,
    at = 0,
  ): PushWorkflowVersion => ({
    type: 'PushWorkflowVersion',
    ...meta(at),
    definition,
    source: 'src',
    activate,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  }),
  activate: (version: number, at = 0): ActivateWorkflowVersion => ({
    type: 'ActivateWorkflowVersion',
    ...meta(at),
    version,
  }),
  deactivate: (at = 0): DeactivateWorkflow => ({ type: 'DeactivateWorkflow', ...meta(at) }),
  request: (
    n: number,
    definition: WorkflowDefinition,
    at = 0,
    breakpoints?: readonly string[],
  ): RequestRun => ({
    type: 'RequestRun',
    ...meta(at),
    start: startOf(n, definition, breakpoints),
  }),
  ended: (n: number, outcome: RunEnded['outcome'] = 'succeeded', at = 0): RunEnded => ({
    type: 'RunEnded',
    ...meta(at),
    runId: `run-${n}`,
    outcome,
  }),
  pause: (at = 0): PauseWorkflow => ({ type: 'PauseWorkflow', ...meta(at) }),
  resume: (at = 0): ResumeWorkflow => ({ type: 'ResumeWorkflow', ...meta(at) }),
  unblock: (at = 0): UnblockWorkflow => ({ type: 'UnblockWorkflow', ...meta(at) }),
  breakpoints: (stepIds: readonly string[], at = 0): SetWorkflowBreakpoints => ({
    type: 'SetWorkflowBreakpoints',
    ...meta(at),
    stepIds,
  }),
  cancelQueued: (n: number, at = 0): CancelQueuedRun => ({
    type: 'CancelQueuedRun',
    ...meta(at),
    runId: `run-${n}`,
    reason: 'not needed any more',
  }),
};

/** Expected event drafts, for `then`. */
export const ev = {
  strategy: (strategy: RunStrategy): WorkflowEventDraft => ({ type: 'WorkflowRunStrategyChanged', strategy }),
  admitted: (
    n: number,
    definition: WorkflowDefinition,
    fromQueue = false,
    breakpoints?: readonly string[],
  ): WorkflowEventDraft => ({
    type: 'RunAdmitted',
    runId: `run-${n}`,
    requestId: `request-${n}`,
    fromQueue,
    start: startOf(n, definition, breakpoints),
  }),
  queued: (
    n: number,
    definition: WorkflowDefinition,
    breakpoints?: readonly string[],
  ): WorkflowEventDraft => ({
    type: 'RunQueued',
    runId: `run-${n}`,
    requestId: `request-${n}`,
    start: startOf(n, definition, breakpoints),
  }),
  dropped: (n: number, reason: RunDropReason): WorkflowEventDraft => ({
    type: 'RunRequestDropped',
    runId: `run-${n}`,
    requestId: `request-${n}`,
    reason,
  }),
  /** last_only: request `newer` stops running run `n` (a CancelRun at `at`, the offset from T0). */
  stopRequested: (n: number, newer: number, at = 0): WorkflowEventDraft => ({
    type: 'RunStopRequested',
    runId: `run-${n}`,
    newerRunId: `run-${newer}`,
    cancel: {
      type: 'CancelRun',
      runId: `run-${n}`,
      reason: `last_only: run run-${newer} (request request-${newer}) was requested after it`,
      metadata: { commandId: `last-only/run-${newer}/stop/run-${n}`, at: T0 + at },
    },
  }),
  finished: (n: number, outcome: RunEnded['outcome'] = 'succeeded'): WorkflowEventDraft => ({
    type: 'RunFinished',
    runId: `run-${n}`,
    outcome,
  }),
};
