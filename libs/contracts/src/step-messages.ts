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

/** Published by the engine for every attempt a run's end (fail, cancel, timeout) stops while it runs. */
export interface StepCancellation {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly reason: string;
}
