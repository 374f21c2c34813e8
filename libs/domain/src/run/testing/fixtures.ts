import type { JsonObject, JsonValue } from '../../shared/json';
import type {
  Edge,
  ParamDefinition,
  RetryPolicy,
  StepDefinition,
  WorkflowDefinition,
} from '../../workflow/workflow-definition';
import type {
  CancelRun,
  CompleteStep,
  FailStep,
  FireTimer,
  ReportStepHeartbeat,
  ReportStepStarted,
  StartRun,
  StepErrorKind,
  TimerKind,
} from '../run.commands';

/** The fixed fake clock: every spec time is `T0 + offset`. */
export const T0 = 1_700_000_000_000;
export const RUN_ID = 'run-1';
export const EXECUTOR = 'executor-1';
export const LEASE_MS = 30_000;

export const NO_RETRY: RetryPolicy = {
  userErrorLimit: 0,
  platformErrorLimit: 0,
  timeoutLimit: 0,
  backoff: { kind: 'fixed', delayMs: 1_000 },
};

type StepOverrides = Partial<Omit<StepDefinition, 'type' | 'id'>> & { readonly durationMs?: number };

/** A noop step (sent to the 'default' pool) unless `type` says otherwise. */
export function step(
  id: string,
  overrides: StepOverrides = {},
  type: 'noop' | 'sleep' = 'noop',
): StepDefinition {
  const common = {
    id,
    params: {},
    retry: NO_RETRY,
    failureMode: 'fail_immediately' as const,
    outputs: {},
    pool: 'default',
  };
  if (type === 'sleep') {
    const { durationMs = 1_000, ...rest } = overrides;
    return { ...common, ...rest, type: 'sleep', durationMs };
  }
  const { durationMs: _ignored, ...rest } = overrides;
  return { ...common, ...rest, type: 'noop' };
}

export function edge(from: string, to: string, condition?: string): Edge {
  return condition === undefined ? { from, to } : { from, to, condition };
}

export function workflow(
  steps: StepDefinition[],
  edges: Edge[] = [],
  extra: { params?: ParamDefinition[]; timeoutMs?: number } = {},
): WorkflowDefinition {
  return {
    id: 'wf',
    version: 1,
    name: 'wf',
    description: '',
    tags: [],
    params: extra.params ?? [],
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
    runStrategy: { kind: 'parallel' },
    steps,
    edges,
  };
}

let counter = 0;
function meta(at: number) {
  counter += 1;
  return { runId: RUN_ID, metadata: { commandId: `c${counter}`, at: T0 + at } };
}

/** Command builders; `at` is the offset from T0 in ms. */
export const cmd = {
  start: (definition: WorkflowDefinition, params: JsonObject = {}, at = 0): StartRun => ({
    type: 'StartRun',
    ...meta(at),
    definition,
    params,
    requestId: 'request-1',
    scheduledAt: T0,
  }),
  started: (
    stepId: string,
    attempt = 1,
    at = 0,
    executorId = EXECUTOR,
    leaseDurationMs = LEASE_MS,
  ): ReportStepStarted => ({
    type: 'ReportStepStarted',
    ...meta(at),
    stepId,
    attempt,
    executorId,
    leaseDurationMs,
  }),
  heartbeat: (stepId: string, attempt = 1, at = 0, executorId = EXECUTOR): ReportStepHeartbeat => ({
    type: 'ReportStepHeartbeat',
    ...meta(at),
    stepId,
    attempt,
    executorId,
  }),
  complete: (
    stepId: string,
    attempt = 1,
    at = 0,
    result: JsonValue = null,
    executorId = EXECUTOR,
  ): CompleteStep => ({
    type: 'CompleteStep',
    ...meta(at),
    stepId,
    attempt,
    executorId,
    result,
  }),
  fail: (stepId: string, errorKind: StepErrorKind, attempt = 1, at = 0, executorId = EXECUTOR): FailStep => ({
    type: 'FailStep',
    ...meta(at),
    stepId,
    attempt,
    executorId,
    errorKind,
    message: `${errorKind} boom`,
  }),
  fire: (timerId: string, kind: TimerKind, at = 0): FireTimer => ({
    type: 'FireTimer',
    ...meta(at),
    timerId,
    kind,
  }),
  cancel: (reason = 'user asked', at = 0): CancelRun => ({ type: 'CancelRun', ...meta(at), reason }),
};

/** Expected-event builders for the most common drafts. */
export const ev = {
  ready: (stepId: string, attempt = 1, params: JsonObject = {}, pool = 'default') =>
    ({ type: 'StepReady', stepId, attempt, params, settings: {}, dispatch: { kind: 'pool', pool } }) as const,
  started: (stepId: string, attempt = 1, at = 0, timeoutMs?: number) =>
    ({
      type: 'StepStarted',
      stepId,
      attempt,
      executorId: EXECUTOR,
      leaseDurationMs: LEASE_MS,
      leaseExpiresAt: T0 + at + LEASE_MS,
      timeoutAt: timeoutMs === undefined ? null : T0 + at + timeoutMs,
    }) as const,
  succeeded: (
    stepId: string,
    attempt = 1,
    outputs: JsonObject = {},
    branches: Record<string, boolean> = {},
  ) => ({ type: 'StepSucceeded', stepId, attempt, outputs, branches }) as const,
  skipped: (stepId: string, reason: 'condition_false' | 'branch_not_taken' | 'upstream_failed') =>
    ({ type: 'StepSkipped', stepId, reason }) as const,
};
