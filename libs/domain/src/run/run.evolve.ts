import type { JsonObject, JsonValue } from '../shared/json';
import type { StepDefinition, WorkflowDefinition } from '../workflow/workflow-definition';
import type {
  BranchResults,
  RunEvent,
  RunRestarted,
  RunStarted,
  StepFailed,
  StepReady,
  StepTimedOut,
} from './run.events';
import {
  emptyCounts,
  timerId,
  type EdgeStatus,
  type FailureKind,
  type LoopState,
  type Run,
  type RunGraph,
  type RunState,
  type RunTimer,
  type StepState,
  type StepStatus,
} from './run.state';
import { stepTimeoutMs } from './run.step-settings';

/**
 * The only place run state changes. Pure: returns a new state and never
 * touches the previous one, so the engine's live state and `replay(events)`
 * are the same value. It does no evaluation and makes no decisions: every
 * choice (retry or not, which branch is taken) is already in the event.
 */
export function evolve(state: RunState, event: RunEvent): RunState {
  if (event.type === 'CommandRejected') return { ...state, lastSeq: event.seq };
  if (event.type === 'RunStarted') {
    if (state.status !== 'absent')
      throw new Error(`RunStarted (seq ${event.seq}) for run ${event.runId} that already started`);
    return started(event);
  }
  if (state.status === 'absent') {
    throw new Error(`${event.type} (seq ${event.seq}) applied to run ${event.runId} that has not started`);
  }
  const run: Run = { ...state, lastSeq: event.seq };
  switch (event.type) {
    case 'StepReady':
      return stepReady(run, event);
    case 'StepPaused':
      return withStep(run, event.stepId, { status: 'paused' });
    case 'ChildRunsStarted': {
      const loop = loopOf(run, event.stepId);
      const running = { ...loop.running };
      for (const child of event.children) running[child.index] = child.runId;
      return withStep(run, event.stepId, { loop: { ...loop, running, progress: event.progress } });
    }
    case 'ChildRunEnded': {
      const loop = loopOf(run, event.stepId);
      const running = { ...loop.running };
      delete running[event.index];
      // A subworkflow has one child, not iterations: name the child run instead.
      const child =
        stepType(run, event.stepId) === 'subworkflow'
          ? `child run ${event.childRunId}`
          : `iteration ${event.index}`;
      const firstFailure =
        loop.firstFailure ?? (event.outcome === 'succeeded' ? null : `${child}: ${event.message}`);
      return withStep(run, event.stepId, {
        loop: { ...loop, running, progress: event.progress, previous: event.outputs, firstFailure },
      });
    }
    case 'StepStarted': {
      let next = withStep(run, event.stepId, {
        status: 'running',
        executorId: event.executorId,
        leaseDurationMs: event.leaseDurationMs,
        leaseExpiresAt: event.leaseExpiresAt,
      });
      next = withTimer(next, 'lease', event.leaseExpiresAt, event.stepId, event.attempt);
      return event.timeoutAt === null
        ? next
        : withTimer(next, 'step_timeout', event.timeoutAt, event.stepId, event.attempt);
    }
    case 'StepLeaseExtended': {
      const next = withStep(run, event.stepId, { leaseExpiresAt: event.leaseExpiresAt });
      return withTimer(next, 'lease', event.leaseExpiresAt, event.stepId, event.attempt);
    }
    case 'StepSucceeded': {
      const next = withStep(run, event.stepId, { ...NO_LEASE, status: 'succeeded', outputs: event.outputs });
      return withOutgoing(
        withoutStepTimers(next, event.stepId),
        event.stepId,
        branchResolver(event.branches),
      );
    }
    case 'StepFailed':
      return attemptFailed(run, event, event.errorKind);
    case 'StepTimedOut':
      return attemptFailed(run, event, 'timeout');
    case 'StepRetryScheduled':
      return withTimer(run, 'retry', event.fireAt, event.stepId, event.attempt);
    case 'StepSkipped': {
      const next = withoutStepTimers(
        withStep(run, event.stepId, { ...NO_LEASE, status: 'skipped' }),
        event.stepId,
      );
      if (event.reason === 'skipped_by_user')
        return withOutgoing(next, event.stepId, branchResolver(event.branches ?? {}));
      const edge: EdgeStatus = event.reason === 'upstream_failed' ? 'source_failed' : 'source_skipped';
      return withOutgoing(next, event.stepId, () => edge);
    }
    case 'StepCancelled': {
      const next = withStep(run, event.stepId, { ...NO_LEASE, status: 'cancelled' });
      return withoutStepTimers(next, event.stepId);
    }
    case 'RunStopping':
      return { ...run, stopping: true };
    case 'RunRestarted':
      return restarted(run, event);
    case 'RunSucceeded':
      return { ...run, status: 'succeeded', timers: {} };
    case 'RunFailed':
      return { ...run, status: 'failed', timers: {} };
    case 'RunCancelled':
      return { ...run, status: 'cancelled', timers: {} };
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}

function started(event: RunStarted): Run {
  const { definition } = event;
  const steps: Record<string, StepState> = {};
  for (const step of definition.steps) steps[step.id] = PENDING_STEP;
  const counts = { ...emptyCounts(), pending: definition.steps.length };
  const run: Run = {
    status: 'running',
    lastSeq: event.seq,
    runId: event.runId,
    definition,
    params: event.params,
    requestId: event.requestId,
    scheduledAt: event.scheduledAt,
    startedAt: event.at,
    runAttempt: 1,
    parent: event.parent ?? null,
    breakpoints: event.breakpoints ?? [],
    stopping: false,
    steps,
    edges: definition.edges.map(() => 'pending'),
    graph: buildGraph(definition),
    timers: {},
    counts,
    failedStepId: null,
  };
  return event.timeoutAt === null ? run : withTimer(run, 'run_timeout', event.timeoutAt);
}

const PENDING_STEP: StepState = {
  status: 'pending',
  attempt: 0,
  userErrors: 0,
  platformErrors: 0,
  timeouts: 0,
  executorId: null,
  leaseDurationMs: null,
  leaseExpiresAt: null,
  outputs: {},
  failure: null,
  loop: null,
};

/**
 * A step sent out: to a pool (`ready`), onto a sleep timer (`sleeping`), or
 * to wait for children or a signal (`waiting`, guarded by the step's timeout
 * here because no executor will report a start).
 */
function stepReady(run: Run, event: StepReady): Run {
  const { dispatch, stepId, attempt } = event;
  const status: StepStatus =
    dispatch.kind === 'pool' ? 'ready' : dispatch.kind === 'timer' ? 'sleeping' : 'waiting';
  const loop: LoopState | null =
    dispatch.kind === 'children'
      ? {
          progress: { total: null, started: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
          running: {},
          values: asObject(event.settings.loop_params),
          previous: {},
          firstFailure: null,
        }
      : null;
  const next = withoutStepTimers(
    withReadySettings(withStep(run, stepId, { status, attempt, loop }), event),
    stepId,
  );
  if (dispatch.kind === 'timer') return withTimer(next, 'sleep', dispatch.wakeAt, stepId, attempt);
  const definition = run.definition.steps.find((step) => step.id === stepId);
  const timeoutMs = definition === undefined ? undefined : stepTimeoutMs(next, definition);
  if (status === 'waiting' && timeoutMs !== undefined)
    return withTimer(next, 'step_timeout', event.at + timeoutMs, stepId, attempt);
  return next;
}

/**
 * What the attempt's `StepReady` recorded for later decisions: its params, and
 * the values of the expressions of `run.step-settings.ts`. The previous
 * attempt's values go; only what this attempt recorded stays.
 */
function withReadySettings(run: Run, event: StepReady): Run {
  const { timeoutMs: _timeout, retryLimits: _limits, ...step } = run.steps[event.stepId];
  const { timeout_ms: timeoutMs, retry_limits: retryLimits } = event.settings;
  const next: StepState = {
    ...step,
    params: event.params,
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
    ...(retryLimits === undefined ? {} : { retryLimits: asObject(retryLimits) as StepState['retryLimits'] }),
  };
  return { ...run, steps: { ...run.steps, [event.stepId]: next } };
}

function asObject(value: JsonValue | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function stepType(run: Run, stepId: string): StepDefinition['type'] | undefined {
  return run.definition.steps.find((step) => step.id === stepId)?.type;
}

function loopOf(run: Run, stepId: string): LoopState {
  const loop = run.steps[stepId].loop;
  if (loop === null) throw new Error(`step ${stepId} of run ${run.runId} has no child runs`);
  return loop;
}

/**
 * The next attempt of a finished run: reset steps are pending with fresh
 * retry budgets (attempt numbers go on, so an old attempt's late report stays
 * stale); edges out of reset steps are pending again.
 */
function restarted(run: Run, event: RunRestarted): Run {
  const reset = new Set(event.resetSteps);
  let next: Run = {
    ...run,
    status: 'running',
    runAttempt: event.runAttempt,
    params: event.params,
    stopping: false,
    failedStepId: keptFailure(run, reset),
    timers: {},
  };
  for (const stepId of event.resetSteps) {
    const before = next.steps[stepId];
    next = withStep(next, stepId, { ...PENDING_STEP, attempt: before.attempt });
  }
  const edges = next.edges.map((status, index) =>
    reset.has(next.definition.edges[index].from) ? 'pending' : status,
  );
  next = { ...next, edges };
  return event.timeoutAt === null ? next : withTimer(next, 'run_timeout', event.timeoutAt);
}

/**
 * A final failure that the restart does not re-run (`from_step` leaves the
 * other branches as they were) still fails the run once the rest finished.
 */
function keptFailure(run: Run, reset: ReadonlySet<string>): string | null {
  if (run.failedStepId !== null && !reset.has(run.failedStepId)) return run.failedStepId;
  const kept = run.definition.steps.find(
    (step) => !reset.has(step.id) && step.failureMode !== 'ignore' && run.steps[step.id].status === 'failed',
  );
  return kept?.id ?? null;
}

/** Any step leaving `running` drops its lease: the lease holder is no longer trusted. */
const NO_LEASE: Pick<StepState, 'executorId' | 'leaseDurationMs' | 'leaseExpiresAt'> = {
  executorId: null,
  leaseDurationMs: null,
  leaseExpiresAt: null,
};

function buildGraph(definition: WorkflowDefinition): RunGraph {
  const incoming: Record<string, number[]> = {};
  const outgoing: Record<string, number[]> = {};
  for (const step of definition.steps) {
    incoming[step.id] = [];
    outgoing[step.id] = [];
  }
  definition.edges.forEach((edge, index) => {
    outgoing[edge.from].push(index);
    incoming[edge.to].push(index);
  });
  return { incoming, outgoing };
}

/**
 * A failed attempt: count it against its kind; a retry waits for
 * `StepRetryScheduled`'s timer, a final failure resolves the outgoing edges
 * (as taken-if-condition under `ignore`, as failed otherwise).
 */
function attemptFailed(run: Run, event: StepFailed | StepTimedOut, kind: FailureKind): Run {
  const { stepId, willRetry, branches, attempt } = event;
  const step = run.steps[stepId];
  const counted: Partial<StepState> = {
    userErrors: step.userErrors + (kind === 'user' ? 1 : 0),
    platformErrors: step.platformErrors + (kind === 'platform' ? 1 : 0),
    timeouts: step.timeouts + (kind === 'timeout' ? 1 : 0),
  };
  const status: StepStatus = willRetry ? 'retry_waiting' : 'failed';
  const next = withoutStepTimers(
    withStep(run, stepId, { ...counted, ...NO_LEASE, attempt, status, failure: willRetry ? null : kind }),
    stepId,
  );
  if (willRetry) return next;
  const definition = next.definition.steps.find((s) => s.id === stepId);
  if (definition?.failureMode === 'ignore') return withOutgoing(next, stepId, branchResolver(branches));
  return {
    ...withOutgoing(next, stepId, () => 'source_failed'),
    failedStepId: next.failedStepId ?? stepId,
  };
}

/** Unconditional edges are taken; a conditional one follows its recorded result (absent means false). */
function branchResolver(branches: BranchResults): (edgeTo: string, conditional: boolean) => EdgeStatus {
  return (to, conditional) => (!conditional || branches[to] === true ? 'taken' : 'condition_false');
}

function withOutgoing(
  run: Run,
  stepId: string,
  resolve: (edgeTo: string, conditional: boolean) => EdgeStatus,
): Run {
  const outgoing = run.graph.outgoing[stepId];
  if (outgoing.length === 0) return run;
  const edges = run.edges.slice();
  for (const index of outgoing) {
    const edge = run.definition.edges[index];
    edges[index] = resolve(edge.to, edge.condition !== undefined);
  }
  return { ...run, edges };
}

/** Replaces one step's record and keeps `counts` in step with its status. */
function withStep(run: Run, stepId: string, patch: Partial<StepState>): Run {
  const before = run.steps[stepId];
  const after: StepState = { ...before, ...patch };
  let counts = run.counts;
  if (after.status !== before.status) {
    counts = {
      ...counts,
      [before.status]: counts[before.status] - 1,
      [after.status]: counts[after.status] + 1,
    };
  }
  return { ...run, steps: { ...run.steps, [stepId]: after }, counts };
}

function withTimer(run: Run, kind: RunTimer['kind'], fireAt: number, stepId?: string, attempt?: number): Run {
  const id = timerId(kind, stepId, attempt);
  const timer: RunTimer = { id, kind, fireAt, stepId: stepId ?? null, attempt: attempt ?? null };
  return { ...run, timers: { ...run.timers, [id]: timer } };
}

function withoutStepTimers(run: Run, stepId: string): Run {
  const entries = Object.entries(run.timers);
  if (!entries.some(([, t]) => t.stepId === stepId)) return run;
  return { ...run, timers: Object.fromEntries(entries.filter(([, t]) => t.stepId !== stepId)) };
}
