/**
 * Why a command was refused. Each is harmless: the decider records a
 * `CommandRejected` event and leaves the run as it was. Late executor reports
 * (a stale attempt, a cancelled run) are the common case, not an anomaly.
 */
export type RejectionCode =
  | 'RunAlreadyExists'
  | 'RunNotFound'
  | 'RunNotRunning'
  | 'RunIdMismatch'
  | 'InvalidParams'
  | 'UnknownStep'
  | 'StaleAttempt'
  | 'StepNotReady'
  | 'StepNotRunning'
  | 'NotLeaseHolder'
  | 'InvalidLease'
  | 'UnknownTimer'
  | 'TimerNotDue'
  | 'RunNotFinished'
  | 'RunAlreadyStopping'
  | 'NestingTooDeep'
  | 'StepNotSkippable'
  | 'StepNotPaused'
  | 'StepNotWaiting'
  | 'UnknownChild'
  /** A record on the run's partition that is not a valid command (the shell's validation refused it; also a dead letter). */
  | 'InvalidCommand';

/** A typed domain error; the shell maps it to a rejection event or an HTTP status. */
export interface RunRejection {
  readonly code: RejectionCode;
  readonly message: string;
}

export function rejection(code: RejectionCode, message: string): RunRejection {
  return { code, message };
}
