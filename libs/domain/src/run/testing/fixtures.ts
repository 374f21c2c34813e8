import type { JsonObject, JsonValue } from '../../shared/json';
import type {
  Edge,
  ForeachStep,
  LoopBody,
  LoopParamValue,
  ParamDefinition,
  RetryPolicy,
  StepDefinition,
  StepParamValue,
  SubworkflowStep,
  WaitForSignalStep,
  WhileStep,
  WorkflowDefinition,
} from '../../workflow/workflow-definition';
import type {
  CancelRun,
  ChildRunFinished,
  ChildRunOutcome,
  CompleteStep,
  DeliverSignal,
  FailStep,
  FireTimer,
  ParentLink,
  ReportStepHeartbeat,
  ReportStepStarted,
  RestartMode,
  RestartRun,
  ResumeStep,
  SkipStep,
  StartRun,
  StepErrorKind,
  StopRun,
  TimerKind,
} from '../run.commands';
import type { LoopProgress } from '../run.events';

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

/** A child run's id as the spec expects it: `<run>~<step>~<attempt>~<index>`. */
export function childId(stepId: string, attempt: number, index: number): string {
  return `${RUN_ID}~${stepId}~${attempt}~${index}`;
}

/** The fields every step kind shares, with the same defaults as `step`. */
type CommonOverrides = Partial<
  Omit<ForeachStep, 'type' | 'id' | 'loopParams' | 'concurrency' | 'ordered' | 'body'>
>;

function common(id: string, overrides: CommonOverrides) {
  return {
    id,
    params: {},
    retry: NO_RETRY,
    failureMode: 'fail_immediately' as const,
    outputs: {},
    pool: 'default',
    ...overrides,
  };
}

/** A loop body of one noop step `work` unless given. */
export function body(steps: StepDefinition[] = [step('work')], edges: Edge[] = []): LoopBody {
  return { steps, edges };
}

export function foreachStep(
  id: string,
  loopParams: Record<string, LoopParamValue>,
  options: CommonOverrides & { concurrency?: number; ordered?: boolean; body?: LoopBody } = {},
): ForeachStep {
  const { concurrency = 10, ordered = false, body: loopBody = body(), ...rest } = options;
  return { ...common(id, rest), type: 'foreach', loopParams, concurrency, ordered, body: loopBody };
}

export function whileStep(
  id: string,
  condition: string,
  options: CommonOverrides & { maxIterations?: number; body?: LoopBody } = {},
): WhileStep {
  const { maxIterations = 100, body: loopBody = body(), ...rest } = options;
  return { ...common(id, rest), type: 'while', condition, maxIterations, body: loopBody };
}

export function subworkflowStep(
  id: string,
  options: CommonOverrides & { wait?: boolean; workflowId?: string; inheritParams?: boolean } = {},
): SubworkflowStep {
  const { wait = true, workflowId = 'other', inheritParams = false, ...rest } = options;
  return { ...common(id, rest), type: 'subworkflow', workflowId, version: 'active', wait, inheritParams };
}

export function signalStep(
  id: string,
  signal: string,
  match: Record<string, StepParamValue> = {},
  options: CommonOverrides = {},
): WaitForSignalStep {
  return { ...common(id, options), type: 'wait_for_signal', signal, match };
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
  /** A StartRun with the fields the plain `start` leaves out. */
  startWith: (
    definition: WorkflowDefinition,
    extra: { params?: JsonObject; at?: number; breakpoints?: string[]; parent?: ParentLink },
  ): StartRun => ({
    ...cmd.start(definition, extra.params ?? {}, extra.at ?? 0),
    ...(extra.breakpoints === undefined ? {} : { breakpoints: extra.breakpoints }),
    ...(extra.parent === undefined ? {} : { parent: extra.parent }),
  }),
  /** The engine's report that child `index` of the step's `attempt` ended; its id is the derived one. */
  childFinished: (
    stepId: string,
    attempt: number,
    index: number,
    outcome: ChildRunOutcome = 'succeeded',
    at = 0,
    outputs: JsonObject = {},
    message = outcome === 'succeeded' ? '' : `child ${outcome}`,
  ): ChildRunFinished => ({
    type: 'ChildRunFinished',
    ...meta(at),
    stepId,
    attempt,
    index,
    childRunId: childId(stepId, attempt, index),
    outcome,
    outputs,
    message,
  }),
  signal: (
    stepId: string,
    attempt = 1,
    at = 0,
    signalParams: JsonObject = {},
    signalId = 'signal-1',
  ): DeliverSignal => ({ type: 'DeliverSignal', ...meta(at), stepId, attempt, signalId, signalParams }),
  stop: (reason = 'user asked to stop', at = 0): StopRun => ({ type: 'StopRun', ...meta(at), reason }),
  restart: (mode: RestartMode, at = 0, extra: { stepId?: string; params?: JsonObject } = {}): RestartRun => ({
    type: 'RestartRun',
    ...meta(at),
    mode,
    ...extra,
  }),
  skip: (stepId: string, at = 0, reason = 'not needed'): SkipStep => ({
    type: 'SkipStep',
    ...meta(at),
    stepId,
    reason,
  }),
  resume: (stepId: string, at = 0): ResumeStep => ({ type: 'ResumeStep', ...meta(at), stepId }),
};

/** Loop counters; everything not given is 0 (`total` null). */
export function progressOf(counts: Partial<LoopProgress>): LoopProgress {
  return { total: null, started: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, ...counts };
}

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
  runStarted: (definition: WorkflowDefinition, params: JsonObject = {}) =>
    ({
      type: 'RunStarted',
      definition,
      params,
      requestId: 'request-1',
      scheduledAt: T0,
      timeoutAt: null,
    }) as const,
  /** A foreach, while or subworkflow step waiting for its children. */
  childrenReady: (stepId: string, attempt = 1, settings: JsonObject = {}, params: JsonObject = {}) =>
    ({ type: 'StepReady', stepId, attempt, params, settings, dispatch: { kind: 'children' } }) as const,
  /** Child `index` of the step's `attempt`, with the derived run id. */
  child: (stepId: string, attempt: number, index: number, params: JsonObject) => ({
    index,
    runId: childId(stepId, attempt, index),
    params,
  }),
  childEnded: (
    stepId: string,
    attempt: number,
    index: number,
    progress: LoopProgress,
    outcome: ChildRunOutcome = 'succeeded',
    outputs: JsonObject = {},
    message = outcome === 'succeeded' ? '' : `child ${outcome}`,
  ) =>
    ({
      type: 'ChildRunEnded',
      stepId,
      attempt,
      index,
      childRunId: childId(stepId, attempt, index),
      outcome,
      outputs,
      message,
      progress,
    }) as const,
  failed: (
    stepId: string,
    attempt: number,
    message: string,
    willRetry = false,
    errorKind: StepErrorKind = 'user',
  ) => ({ type: 'StepFailed', stepId, attempt, errorKind, message, willRetry, branches: {} }) as const,
  runFailed: (stepId: string, message: string, kind = 'user') =>
    ({
      type: 'RunFailed',
      reason: 'step_failed',
      stepId,
      message: `step ${stepId} failed (${kind} error): ${message}`,
    }) as const,
};
