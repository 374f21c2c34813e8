import type { JsonValue } from '../shared/json';
import type { RetryPolicy } from '../workflow/workflow-definition';
import type { RunDeciderDeps } from './run.deps';
import type { BranchResults } from './run.events';
import { evaluateBranches, evaluateOutputs } from './run.expressions';
import { failRun, progress, stepDefinition } from './run.progress';
import type { FailureKind } from './run.state';
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
 */
export function attemptFailed(
  tx: RunTransaction,
  stepId: string,
  attempt: number,
  kind: FailureKind,
  message: string,
  deps: RunDeciderDeps,
  options: { readonly retryable: boolean } & AttemptReport,
): void {
  const run = tx.run;
  const step = stepDefinition(run, stepId);
  if (step === undefined) throw new Error(`unknown step ${stepId}`);
  const state = run.steps[stepId];
  const used =
    kind === 'user' ? state.userErrors : kind === 'platform' ? state.platformErrors : state.timeouts;
  const willRetry = options.retryable && used < limitOf(step.retry, kind);

  let branches: BranchResults = {};
  let branchError: string | null = null;
  if (!willRetry && step.failureMode === 'ignore') {
    const evaluated = evaluateBranches(run, stepId, { status: 'failed', outputs: {} }, deps.expressions);
    if (evaluated.ok) branches = evaluated.value;
    else branchError = evaluated.message;
  }

  if (kind === 'timeout') tx.emit({ type: 'StepTimedOut', stepId, attempt, willRetry, branches });
  else
    tx.emit({
      type: 'StepFailed',
      stepId,
      attempt,
      errorKind: kind,
      message,
      willRetry,
      branches,
      ...logsField(options),
    });

  if (willRetry) {
    const delayMs = retryDelayMs(step.retry, attempt);
    tx.emit({ type: 'StepRetryScheduled', stepId, attempt: attempt + 1, delayMs, fireAt: tx.at + delayMs });
    return;
  }
  if (branchError !== null) {
    failRun(tx, 'expression_error', stepId, branchError, 'run_failed');
    return;
  }
  if (step.failureMode === 'fail_immediately') {
    failRun(tx, 'step_failed', stepId, `step ${stepId} failed (${kind} error): ${message}`, 'run_failed');
    return;
  }
  progress(tx, deps);
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

function limitOf(policy: RetryPolicy, kind: FailureKind): number {
  switch (kind) {
    case 'user':
      return policy.userErrorLimit;
    case 'platform':
      return policy.platformErrorLimit;
    case 'timeout':
      return policy.timeoutLimit;
    default: {
      const unexpected: never = kind;
      throw new Error(`unknown failure kind ${String(unexpected)}`);
    }
  }
}

/**
 * Delay before the attempt after `failedAttempt`: fixed, or
 * `initialDelayMs * multiplier^(failedAttempt - 1)` capped at `maxDelayMs`.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const { backoff } = policy;
  switch (backoff.kind) {
    case 'fixed':
      return backoff.delayMs;
    case 'exponential': {
      const raw = backoff.initialDelayMs * Math.pow(backoff.multiplier, failedAttempt - 1);
      return Math.min(backoff.maxDelayMs, Math.round(raw));
    }
    default: {
      const unexpected: never = backoff;
      throw new Error(`unknown backoff ${JSON.stringify(unexpected)}`);
    }
  }
}
