import type { JsonValue } from '../shared/json';
import type { Backoff, RetryPolicy, StepDefinition } from '../workflow/workflow-definition';
import type { RunDeciderDeps } from './run.deps';
import type { BranchResults } from './run.events';
import { evaluateBranches, evaluateOutputs } from './run.expressions';
import { failRun, progress, stepDefinition } from './run.progress';
import type { FailureKind } from './run.state';
import { retryLimit } from './run.step-settings';
import type { RunTransaction } from './run.transaction';

/**
 * How an attempt ends. Shared by executor reports and timers (sleep wake-up,
 * step timeout, lease expiry), so a step ends the same way whatever ended it.
 */

/**
 * Success: the named outputs are evaluated over the result, then the
 * conditions of the outgoing edges over those outputs. An output expression
 * that fails counts as a user error of the attempt (a retry may produce a
 * different result); a condition that fails is a workflow bug and fails the run.
 */
export function attemptSucceeded(
  tx: RunTransaction,
  stepId: string,
  result: JsonValue,
  deps: RunDeciderDeps,
  report: AttemptReport = {},
): void {
  const run = tx.run;
  const step = stepDefinition(run, stepId);
  if (step === undefined) throw new Error(`unknown step ${stepId}`);
  const { attempt } = run.steps[stepId];
  const outputs = evaluateOutputs(run, step, attempt, result, deps.expressions);
  if (!outputs.ok) {
    attemptFailed(tx, stepId, attempt, 'user', outputs.message, deps, { retryable: true, ...report });
    return;
  }
  const branches = evaluateBranches(
    run,
    stepId,
    { status: 'succeeded', outputs: outputs.value },
    deps.expressions,
  );
  tx.emit({
    type: 'StepSucceeded',
    stepId,
    attempt,
    outputs: outputs.value,
    branches: branches.ok ? branches.value : {},
    ...logsField(report),
  });
  if (!branches.ok) {
    failRun(tx, 'expression_error', stepId, branches.message, 'run_failed');
    return;
  }
  progress(tx, deps);
}

/**
 * Failure of one attempt. Each kind has its own budget (`userErrorLimit` is
 * how many user-error *retries* are allowed, and so on); the attempt number
 * counts them all and drives the backoff. A final failure applies the step's
 * failure mode: `fail_immediately` fails the run now, `finish_running` blocks
 * the step's successors and lets everything else finish, `ignore` lets the
 * successors run as if it had succeeded with no outputs.
 *
 * `exitCode` (reported by the executor) can make a user error final whatever
 * the budget: a shell step's `retryableExitCodes` say which codes may be retried.
 */
export function attemptFailed(
  tx: RunTransaction,
  stepId: string,
  attempt: number,
  kind: FailureKind,
  message: string,
  deps: RunDeciderDeps,
  options: { readonly retryable: boolean; readonly exitCode?: number } & AttemptReport,
): void {
  const run = tx.run;
  const step = stepDefinition(run, stepId);
  if (step === undefined) throw new Error(`unknown step ${stepId}`);
  const state = run.steps[stepId];
  const used =
    kind === 'user' ? state.userErrors : kind === 'platform' ? state.platformErrors : state.timeouts;
  const { exitCode } = options;
  const nonRetryable = kind === 'user' && exitCode !== undefined && !exitCodeRetryable(step, exitCode);
  const willRetry = options.retryable && !nonRetryable && used < retryLimit(run, step, kind);

  let branches: BranchResults = {};
  let branchError: string | null = null;
  if (!willRetry && step.failureMode === 'ignore') {
    const evaluated = evaluateBranches(run, stepId, { status: 'failed', outputs: {} }, deps.expressions);
    if (evaluated.ok) branches = evaluated.value;
    else branchError = evaluated.message;
  }

  if (kind === 'timeout') tx.emit({ type: 'StepTimedOut', stepId, attempt, willRetry, branches });
  else {
    tx.emit({
      type: 'StepFailed',
      stepId,
      attempt,
      errorKind: kind,
      message,
      willRetry,
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(nonRetryable ? { nonRetryable } : {}),
      branches,
      ...logsField(options),
    });
  }

  if (willRetry) {
    const delayMs = retryDelayFor(step.retry, kind, attempt, used);
    tx.emit({ type: 'StepRetryScheduled', stepId, attempt: attempt + 1, delayMs, fireAt: tx.at + delayMs });
    return;
  }
  if (branchError !== null) {
    failRun(tx, 'expression_error', stepId, branchError, 'run_failed');
    return;
  }
  if (step.failureMode === 'fail_immediately') {
    const why = nonRetryable ? `; exit code ${exitCode} is not retryable` : '';
    failRun(
      tx,
      'step_failed',
      stepId,
      `step ${stepId} failed (${kind} error): ${message}${why}`,
      'run_failed',
    );
    return;
  }
  progress(tx, deps);
}

/** Whether a shell step may retry a failure with this exit code; other steps have no exit codes. */
function exitCodeRetryable(step: StepDefinition, exitCode: number): boolean {
  if (step.type !== 'shell' || step.retryableExitCodes === undefined) return true;
  const codes = step.retryableExitCodes;
  return 'only' in codes ? codes.only.includes(exitCode) : !codes.except.includes(exitCode);
}

/** What an executor's report adds to how its attempt ended. */
export interface AttemptReport {
  /** The executor wrote the attempt's log tail before reporting (`CompleteStep.logsWritten`). */
  readonly logsWritten?: boolean;
}

/** The field is written only when true, so events of reports without it stay as they were. */
function logsField(report: AttemptReport): { logsWritten?: true } {
  return report.logsWritten === true ? { logsWritten: true } : {};
}

/**
 * Delay before the retry of a `kind` failure of `failedAttempt`, the kind
 * having been retried `kindRetries` times before: the kind's own backoff with
 * its exponent on `kindRetries`, else the shared backoff on the attempt number.
 */
export function retryDelayFor(
  policy: RetryPolicy,
  kind: FailureKind,
  failedAttempt: number,
  kindRetries: number,
): number {
  const own = policy.backoffs?.[kind];
  return own === undefined ? retryDelayMs(policy, failedAttempt) : backoffDelayMs(own, kindRetries);
}

/**
 * Delay before the attempt after `failedAttempt` by the shared backoff: fixed, or
 * `initialDelayMs * multiplier^(failedAttempt - 1)` capped at `maxDelayMs`.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  return backoffDelayMs(policy.backoff, failedAttempt - 1);
}

/** `initialDelayMs * multiplier^exponent` capped at `maxDelayMs`, or the fixed delay. */
function backoffDelayMs(backoff: Backoff, exponent: number): number {
  switch (backoff.kind) {
    case 'fixed':
      return backoff.delayMs;
    case 'exponential': {
      const raw = backoff.initialDelayMs * Math.pow(backoff.multiplier, exponent);
      return Math.min(backoff.maxDelayMs, Math.round(raw));
    }
    default: {
      const unexpected: never = backoff;
      throw new Error(`unknown backoff ${JSON.stringify(unexpected)}`);
    }
  }
}
