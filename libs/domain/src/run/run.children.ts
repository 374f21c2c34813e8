import type { JsonObject, JsonValue } from '../shared/json';
import type {
  ForeachStep,
  StepDefinition,
  SubworkflowStep,
  WhileStep,
} from '../workflow/workflow-definition';
import { attemptFailed, attemptSucceeded } from './run.attempts';
import type { ChildRunOutcome } from './run.commands';
import type { RunDeciderDeps } from './run.deps';
import type { ChildRunSpec, LoopProgress } from './run.events';
import { stepContext } from './run.expressions';
// Aliased: `progress` names the loop counters all through this file.
import { progress as moveRunOn } from './run.progress';
import type { LoopState, Run } from './run.state';
import type { RunTransaction } from './run.transaction';

/**
 * foreach, while and subworkflow steps run their work as child runs. The
 * parent keeps counters and the running children only (see `LoopState`), so
 * its state is bounded by the concurrency, not by the iteration count; the
 * engine starts each child from `ChildRunsStarted` and tells the parent how
 * it ended with `ChildRunFinished`.
 */

type ParentStep = ForeachStep | WhileStep | SubworkflowStep;

/** A child run's id: readable, unique per (parent, step, attempt, iteration), and stable on replay. */
export function childRunId(parentRunId: string, stepId: string, attempt: number, index: number): string {
  return `${parentRunId}~${stepId}~${attempt}~${index}`;
}

/** `~<step id>~<attempt>~<index>` at the end; step ids cannot hold `~` and top-level run ids are UUIDs. */
const CHILD_RUN_ID = /~[A-Za-z][A-Za-z0-9_.-]*~\d+~\d+$/;

/** Whether `runId` is a child run's (a foreach or while iteration, a subworkflow), by the suffix its parent gave it. */
export function isChildRunId(runId: string): boolean {
  return CHILD_RUN_ID.test(runId);
}

/**
 * The parent's run id, read back from a child run id (`childRunId`), or null
 * for a top-level run. Lenient about the step id's characters, so it keeps
 * working whatever step ids become allowed (none may hold `~`).
 */
export function parentRunIdOf(runId: string): string | null {
  const match = /^(.+)~[^~]+~\d+~\d+$/.exec(runId);
  return match === null ? null : match[1];
}

/** Right after the step's `StepReady` (dispatch `children`): the first children, or the end if there are none. */
export function startChildren(
  tx: RunTransaction,
  step: ParentStep,
  params: JsonObject,
  deps: RunDeciderDeps,
): void {
  switch (step.type) {
    case 'foreach': {
      const total = foreachSize(loopOf(tx.run, step.id).values);
      if (total > deps.limits.maxForeachIterations) {
        const message = `foreach has ${total} iterations, more than the limit of ${deps.limits.maxForeachIterations}`;
        attemptFailed(tx, step.id, tx.run.steps[step.id].attempt, 'user', message, deps, {
          retryable: false,
        });
        return;
      }
      continueForeach(tx, step, deps, total);
      return;
    }
    case 'while':
      continueWhile(tx, step, deps);
      return;
    case 'subworkflow': {
      const { attempt } = tx.run.steps[step.id];
      const child: ChildRunSpec = {
        index: 0,
        runId: childRunId(tx.run.runId, step.id, attempt, 0),
        params,
      };
      const progress: LoopProgress = { ...NO_PROGRESS, total: 1, started: 1, running: step.wait ? 1 : 0 };
      tx.emit({ type: 'ChildRunsStarted', stepId: step.id, attempt, children: [child], progress });
      if (!step.wait) attemptSucceeded(tx, step.id, { run_id: child.runId }, deps);
      return;
    }
    default: {
      const unexpected: never = step;
      throw new Error(`not a parent step: ${JSON.stringify(unexpected)}`);
    }
  }
}

/** A child of the current attempt ended: count it, then start more children or end the step. */
export function childEnded(
  tx: RunTransaction,
  step: ParentStep,
  ended: {
    readonly index: number;
    readonly childRunId: string;
    readonly outcome: ChildRunOutcome;
    readonly outputs: JsonObject;
    readonly message: string;
    readonly neverStarted?: true;
  },
  deps: RunDeciderDeps,
): void {
  const { attempt, loop } = tx.run.steps[step.id];
  if (loop === null) throw new Error(`step ${step.id} has no children`);
  const before = loop.progress;
  const progress: LoopProgress = {
    ...before,
    running: before.running - 1,
    succeeded: before.succeeded + (ended.outcome === 'succeeded' ? 1 : 0),
    failed: before.failed + (ended.outcome === 'failed' ? 1 : 0),
    cancelled: before.cancelled + (ended.outcome === 'cancelled' ? 1 : 0),
  };
  tx.emit({ type: 'ChildRunEnded', stepId: step.id, attempt, ...ended, progress });
  switch (step.type) {
    case 'foreach':
      continueForeach(tx, step, deps, progress.total ?? 0);
      return;
    case 'while':
      if (ended.outcome !== 'succeeded') failWithChildren(tx, step.id, deps);
      else continueWhile(tx, step, deps);
      return;
    case 'subworkflow':
      if (ended.outcome !== 'succeeded') {
        failWithChildren(tx, step.id, deps);
        return;
      }
      attemptSucceeded(
        tx,
        step.id,
        { run_id: ended.childRunId, status: 'SUCCEEDED', outputs: ended.outputs },
        deps,
      );
      return;
    default: {
      const unexpected: never = step;
      throw new Error(`not a parent step: ${JSON.stringify(unexpected)}`);
    }
  }
}

export function isParentStep(step: StepDefinition): step is ParentStep {
  return step.type === 'foreach' || step.type === 'while' || step.type === 'subworkflow';
}

const NO_PROGRESS: LoopProgress = {
  total: null,
  started: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
};

/**
 * Starts iterations up to the concurrency, in index order. After a failed
 * iteration, or once the run is stopping, nothing new starts; the step ends
 * once the running ones ended: failed if any iteration did not succeed,
 * cancelled if the stop left iterations unstarted.
 */
function continueForeach(tx: RunTransaction, step: ForeachStep, deps: RunDeciderDeps, total: number): void {
  const run = tx.run;
  const { attempt } = run.steps[step.id];
  const state = loopOf(run, step.id);
  const progress = { ...state.progress, total };
  const limit = step.ordered ? 1 : step.concurrency;
  const canStart =
    state.firstFailure === null && !run.stopping
      ? Math.min(limit - progress.running, total - progress.started)
      : 0;
  if (canStart > 0) {
    const children: ChildRunSpec[] = [];
    for (let index = progress.started; index < progress.started + canStart; index++) {
      children.push({
        index,
        runId: childRunId(run.runId, step.id, attempt, index),
        params: { ...bodyParams(run, step.id), ...iterationValues(state.values, index), loop_index: index },
      });
    }
    tx.emit({
      type: 'ChildRunsStarted',
      stepId: step.id,
      attempt,
      children,
      progress: { ...progress, started: progress.started + canStart, running: progress.running + canStart },
    });
    return;
  }
  if (progress.running > 0) return;
  if (state.firstFailure !== null) {
    failWithChildren(tx, step.id, deps);
    return;
  }
  if (progress.started < total) {
    cancelForStop(tx, step.id, deps);
    return;
  }
  attemptSucceeded(
    tx,
    step.id,
    { iterations: total, succeeded: progress.succeeded, failed: progress.failed },
    deps,
  );
}

/**
 * The condition is evaluated before each iteration over the params plus
 * `loop_index` and `loop_previous` (the last iteration's outputs by step id).
 * Still true after `maxIterations` iterations fails the step: the limit is a
 * safety net, not a normal way out.
 */
function continueWhile(tx: RunTransaction, step: WhileStep, deps: RunDeciderDeps): void {
  const run = tx.run;
  const { attempt } = run.steps[step.id];
  const state = loopOf(run, step.id);
  const index = state.progress.started;
  const params = { ...bodyParams(run, step.id), loop_index: index, loop_previous: state.previous };
  const context = { ...stepContext(run, { step: { id: step.id, attempt } }), params };
  const condition = deps.expressions.evaluateCondition(step.condition, context);
  if (!condition.ok) {
    const message = `steps.${step.id}.condition: ${condition.error.message}`;
    attemptFailed(tx, step.id, attempt, 'user', message, deps, { retryable: false });
    return;
  }
  if (!condition.value) {
    attemptSucceeded(tx, step.id, { iterations: index, last: state.previous }, deps);
    return;
  }
  if (run.stopping) {
    cancelForStop(tx, step.id, deps);
    return;
  }
  if (index >= step.maxIterations) {
    const message = `while loop ran ${index} iterations (its max_iterations) and its condition still holds`;
    attemptFailed(tx, step.id, attempt, 'user', message, deps, { retryable: false });
    return;
  }
  const child: ChildRunSpec = { index, runId: childRunId(run.runId, step.id, attempt, index), params };
  const progress: LoopProgress = {
    ...state.progress,
    started: index + 1,
    running: state.progress.running + 1,
  };
  tx.emit({ type: 'ChildRunsStarted', stepId: step.id, attempt, children: [child], progress });
}

/**
 * What a loop body's steps read as `params`, before the iteration's own
 * values: the run's params, overridden by the loop step's own params as its
 * attempt resolved them (recorded in its StepReady, so replay reads the same).
 * A null step param is left out: a child run cannot declare a param of no type.
 */
function bodyParams(run: Run, stepId: string): JsonObject {
  const own = Object.entries(run.steps[stepId].params ?? {}).filter(([, value]) => value !== null);
  return { ...run.params, ...Object.fromEntries(own) };
}

/** A child failure fails the attempt as a user error; the step's retry policy and failure mode apply. */
function failWithChildren(tx: RunTransaction, stepId: string, deps: RunDeciderDeps): void {
  const { attempt, loop } = tx.run.steps[stepId];
  const message = loop?.firstFailure ?? 'a child run did not succeed';
  attemptFailed(tx, stepId, attempt, 'user', message, deps, { retryable: true });
}

/**
 * The run is stopping and the loop has iterations left to start: it starts
 * none, so it cannot succeed; it ends cancelled, as the run will.
 */
function cancelForStop(tx: RunTransaction, stepId: string, deps: RunDeciderDeps): void {
  const { attempt } = tx.run.steps[stepId];
  tx.emit({ type: 'StepCancelled', stepId, attempt, reason: 'run_cancelled' });
  moveRunOn(tx, deps);
}

function loopOf(run: Run, stepId: string): LoopState {
  const loop = run.steps[stepId].loop;
  if (loop === null) throw new Error(`step ${stepId} has no children`);
  return loop;
}

/** A loop param's values: an array, or `{ range: { from, to, step } }`. */
type LoopValues = readonly JsonValue[] | { readonly range: { from: number; to: number; step: number } };

function asLoopValues(value: JsonValue): LoopValues {
  if (Array.isArray(value)) return value;
  const range = (value as { range: { from: number; to: number; step: number } }).range;
  return { range };
}

function sizeOf(values: LoopValues): number {
  if (Array.isArray(values)) return values.length;
  const { from, to, step } = (values as { range: { from: number; to: number; step: number } }).range;
  return to <= from ? 0 : Math.ceil((to - from) / step);
}

function valueAt(values: LoopValues, position: number): JsonValue {
  if (Array.isArray(values)) return values[position] as JsonValue;
  const { from, step } = (values as { range: { from: number; step: number } }).range;
  return from + position * step;
}

/** The Cartesian product's size: the product of the loop params' sizes. */
export function foreachSize(values: JsonObject): number {
  let size = 1;
  for (const value of Object.values(values)) size *= sizeOf(asLoopValues(value));
  return size;
}

/** The product's `index`-th element, the last loop param varying fastest (mixed radix). */
export function iterationValues(values: JsonObject, index: number): JsonObject {
  const names = Object.keys(values);
  const picked: JsonValue[] = [];
  let rest = index;
  for (let i = names.length - 1; i >= 0; i--) {
    const loopValues = asLoopValues(values[names[i]]);
    const size = sizeOf(loopValues);
    picked[i] = valueAt(loopValues, rest % size);
    rest = Math.floor(rest / size);
  }
  return Object.fromEntries(names.map((name, i) => [name, picked[i]]));
}
