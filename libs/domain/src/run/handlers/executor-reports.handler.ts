import type { CompleteStep, FailStep, ReportStepHeartbeat, ReportStepStarted } from '../run.commands';
import { attemptFailed, attemptSucceeded } from '../run.attempts';
import { rejection } from '../run.errors';
import { checkReport } from '../run.guards';
import type { CommandHandler } from '../run.handler';
import { stepDefinition } from '../run.progress';
import { stepTimeoutMs } from '../run.step-settings';

/**
 * What executors report. Executors are not writers of truth: each report is
 * checked against the current attempt and lease, and a late one is refused.
 */

/** The executor took the step; it now holds a lease and the per-attempt timeout starts. */
export const reportStepStarted: CommandHandler<ReportStepStarted> = (command, tx) => {
  const refused = checkReport(tx.state, command, 'ready');
  if (refused !== null) return refused;
  if (!(command.leaseDurationMs > 0)) {
    return rejection('InvalidLease', `lease duration must be positive, got ${command.leaseDurationMs}`);
  }
  const step = stepDefinition(tx.run, command.stepId);
  const timeoutMs = step === undefined ? undefined : stepTimeoutMs(tx.run, step);
  tx.emit({
    type: 'StepStarted',
    stepId: command.stepId,
    attempt: command.attempt,
    executorId: command.executorId,
    leaseDurationMs: command.leaseDurationMs,
    leaseExpiresAt: tx.at + command.leaseDurationMs,
    timeoutAt: timeoutMs === undefined ? null : tx.at + timeoutMs,
  });
  return null;
};

/**
 * Heartbeats are frequent and mostly say nothing new, so they are not events.
 * A heartbeat extends the lease to `at + leaseDurationMs` only when less than
 * half of the lease is left: at most about two `StepLeaseExtended` events per
 * lease period however often the executor beats; the others are accepted with
 * no event. An executor must beat more often than every half lease.
 * A heartbeat after the lease deadline but before the lease timer fired still
 * extends it: the log's order, not a wall clock, says who was first.
 */
export const reportStepHeartbeat: CommandHandler<ReportStepHeartbeat> = (command, tx) => {
  const refused = checkReport(tx.state, command, 'running');
  if (refused !== null) return refused;
  const step = tx.run.steps[command.stepId];
  const leaseMs = step.leaseDurationMs ?? 0;
  const left = (step.leaseExpiresAt ?? 0) - tx.at;
  if (left < leaseMs / 2) {
    tx.emit({
      type: 'StepLeaseExtended',
      stepId: command.stepId,
      attempt: command.attempt,
      leaseExpiresAt: tx.at + leaseMs,
    });
  }
  return null;
};

export const completeStep: CommandHandler<CompleteStep> = (command, tx, deps) => {
  const refused = checkReport(tx.state, command, 'running');
  if (refused !== null) return refused;
  attemptSucceeded(tx, command.stepId, command.result, deps, { logsWritten: command.logsWritten });
  return null;
};

export const failStep: CommandHandler<FailStep> = (command, tx, deps) => {
  const refused = checkReport(tx.state, command, 'running');
  if (refused !== null) return refused;
  attemptFailed(tx, command.stepId, command.attempt, command.errorKind, command.message, deps, {
    retryable: true,
    ...(command.exitCode === undefined ? {} : { exitCode: command.exitCode }),
    logsWritten: command.logsWritten,
  });
  return null;
};
