import type { StepDefinition } from '../workflow/workflow-definition';
import type { RunDeciderDeps } from './run.deps';
import type { RunFailureReason, SkipReason, StepCancelReason } from './run.events';
import { resolveStepInputs } from './run.expressions';
import { ACTIVE_STEP_STATUSES, isActive, type Run } from './run.state';
import type { JsonObject, JsonValue } from '../shared/json';
import { assertNever } from './run.evolve';
import { startChildren } from './run.children';
import type { RunTransaction } from './run.transaction';
import { attemptFailed } from './run.attempts';
import { runsOnPool } from './step-value-fields';

/**
 * Moves the run forward after anything changed: decides every pending step
 * whose incoming edges are all resolved (ready or skipped, in definition order
 * so the event order is deterministic), repeats until nothing more can be
 * decided (a skip resolves further edges), then ends the run when no step is
 * left to wait for.
 *
 * Rules (see `Edge` in the workflow model):
 * - a root (no incoming edge) is ready at start;
 * - a step whose incoming edges are resolved is ready if at least one was
 *   taken and none comes from a failed step; a join thus waits only for the
 *   branches that were taken;
 * - otherwise it is skipped: `upstream_failed` if an edge comes from a failed
 *   (not ignored) step, `condition_false` if a finished source's condition was
 *   false, else `branch_not_taken`; its own outgoing edges then resolve the
 *   same way, so skipping propagates.
 */
export function progress(tx: RunTransaction, deps: RunDeciderDeps): void {
  for (;;) {
    const run = tx.run;
    if (run.status !== 'running') return;
    // A stopping run starts nothing new: pending steps stay pending.
    if (run.stopping) break;
    const next = nextDecidable(run, hasStepSlot(run));
    if (next === null) break;
    if (next.verdict === 'ready') {
      const step = next.step;
      if (run.breakpoints.includes(step.id)) tx.emit({ type: 'StepPaused', stepId: step.id });
      else makeReady(tx, step, run.steps[step.id].attempt + 1, deps);
    } else tx.emit({ type: 'StepSkipped', stepId: next.step.id, reason: next.verdict });
  }
  completeIfDone(tx);
}

type Verdict = 'ready' | SkipReason;

/**
 * The first pending step (in definition order) that can be decided now. A
 * step that would be ready is passed over while the run has no free step
 * slot (`stepConcurrency`): it stays pending, and the next `progress` after
 * a step ends starts it. Skips need no slot.
 */
function nextDecidable(
  run: Run,
  slotFree: boolean,
): { readonly step: StepDefinition; readonly verdict: Verdict } | null {
  for (const step of run.definition.steps) {
    if (run.steps[step.id].status !== 'pending') continue;
    const verdict = verdictOf(run, step);
    if (verdict === null || (verdict === 'ready' && !slotFree)) continue;
    return { step, verdict };
  }
  return null;
}

function verdictOf(run: Run, step: StepDefinition): Verdict | null {
  const incoming = run.graph.incoming[step.id].map((index) => run.edges[index]);
  if (incoming.includes('pending')) return null;
  if (incoming.length === 0) return 'ready';
  if (incoming.includes('source_failed')) return 'upstream_failed';
  if (incoming.includes('taken')) return 'ready';
  return incoming.includes('condition_false') ? 'condition_false' : 'branch_not_taken';
}

/** Active steps of the run; `counts` keeps them, so no scan. */
function activeSteps(run: Run): number {
  return ACTIVE_STEP_STATUSES.reduce((sum, status) => sum + run.counts[status], 0);
}

/**
 * Whether one more step may become active under the definition's
 * `stepConcurrency`. Every way into an active status from pending passes
 * through `progress` (a retry or a resumed breakpoint stays active), so
 * checking here keeps the run at or below the limit.
 */
function hasStepSlot(run: Run): boolean {
  const limit = run.definition.stepConcurrency;
  return limit === undefined || activeSteps(run) < limit;
}

/**
 * A run ends when no step is pending or active. It failed if a step failed
 * without `ignore` (the `finish_running` case: the rest was allowed to finish
 * first); `fail_immediately` never gets here, it fails the run at once.
 */
function completeIfDone(tx: RunTransaction): void {
  const run = tx.run;
  if (run.status !== 'running') return;
  if (activeSteps(run) > 0) return;
  if (run.stopping) {
    tx.emit({ type: 'RunCancelled', reason: 'stopped: active steps finished, nothing new started' });
    return;
  }
  if (run.counts.pending > 0) return;
  if (run.failedStepId === null && run.counts.cancelled > 0) {
    // Only after a restart from a step: steps outside the restarted part kept their cancellation.
    const kept = run.definition.steps.filter((s) => run.steps[s.id].status === 'cancelled').map((s) => s.id);
    tx.emit({
      type: 'RunCancelled',
      reason: `step ${kept.join(', ')} stayed cancelled: the restart did not re-run it`,
    });
    return;
  }
  if (run.failedStepId === null) {
    tx.emit({ type: 'RunSucceeded' });
    return;
  }
  const failed = run.steps[run.failedStepId];
  tx.emit({
    type: 'RunFailed',
    reason: 'step_failed',
    stepId: run.failedStepId,
    message: `step ${run.failedStepId} failed (${failed.failure ?? 'unknown'} error); the running steps finished first`,
  });
}

/**
 * Sends attempt `attempt` of a step out: to its executor pool, or, for a sleep
 * step, onto an engine timer. Params are evaluated now, over the outputs known
 * now. An expression error here is the workflow's fault and would recur on
 * every attempt, so it fails the step without retry.
 */
export function makeReady(
  tx: RunTransaction,
  step: StepDefinition,
  attempt: number,
  deps: RunDeciderDeps,
): void {
  const inputs = resolveStepInputs(tx.run, step, attempt, deps.expressions);
  if (!inputs.ok) {
    attemptFailed(tx, step.id, attempt, 'user', inputs.message, deps, { retryable: false });
    return;
  }
  const { params, settings } = inputs.value;
  if (runsOnPool(step)) {
    tx.emit({ ...ready(step, attempt, params, settings), dispatch: { kind: 'pool', pool: step.pool } });
    return;
  }
  // The engine's own step types (STEP_RUNS_ON): one case each.
  switch (step.type) {
    case 'sleep':
      tx.emit({
        ...ready(step, attempt, params, settings),
        // An expression's duration was evaluated into the settings; the wake-up time is recorded here.
        dispatch: {
          kind: 'timer',
          wakeAt: tx.at + (typeof settings.duration_ms === 'number' ? settings.duration_ms : step.durationMs),
        },
      });
      return;
    case 'foreach':
    case 'while':
    case 'subworkflow':
      tx.emit({ ...ready(step, attempt, params, settings), dispatch: { kind: 'children' } });
      startChildren(tx, step, params, deps);
      return;
    case 'wait_for_signal':
      tx.emit({
        ...ready(step, attempt, params, settings),
        dispatch: { kind: 'signal', signal: step.signal, match: asObject(settings.match) },
      });
      return;
    default:
      assertNever(step);
  }
}

function ready(step: StepDefinition, attempt: number, params: JsonObject, settings: JsonObject) {
  return { type: 'StepReady' as const, stepId: step.id, attempt, params, settings };
}

function asObject(value: JsonValue | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Stops every active step (their late reports are then rejected) and fails the run. */
export function failRun(
  tx: RunTransaction,
  reason: RunFailureReason,
  stepId: string | null,
  message: string,
  cancelReason: StepCancelReason,
): void {
  cancelActiveSteps(tx, cancelReason);
  tx.emit({ type: 'RunFailed', reason, stepId, message });
}

export function cancelActiveSteps(tx: RunTransaction, reason: StepCancelReason): void {
  const run = tx.run;
  for (const step of run.definition.steps) {
    const state = run.steps[step.id];
    if (isActive(state.status))
      tx.emit({ type: 'StepCancelled', stepId: step.id, attempt: state.attempt, reason });
  }
}

export function stepDefinition(run: Run, stepId: string): StepDefinition | undefined {
  return run.definition.steps.find((step) => step.id === stepId);
}
