/** The last bytes of an attempt's output, published by the executor when the attempt ends. */
export interface StepLogs {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Bytes dropped from the front of each stream to keep the tails bounded. */
  readonly truncatedBytes: { readonly stdout: number; readonly stderr: number };
}

/**
 * Published by the engine for every attempt a run's end (fail, cancel,
 * timeout) stops while it runs, and for every `ReportStepStarted` it refuses.
 */
export interface StepCancellation {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly reason: string;
  /**
   * Present when only this executor's copy is meant: its start was refused
   * (reason `start_refused`), so it must not run the attempt, while the lease
   * holder, if any, goes on. Absent: whoever runs the attempt stops it.
   */
  readonly executorId?: string;
}

/** Published by the engine when it accepts a `ReportStepStarted` that asked to be confirmed. */
export interface StepStartGranted {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly executorId: string;
  /** Epoch ms (engine time) at which the lease lapses unless a heartbeat extends it. */
  readonly leaseExpiresAt: number;
}
