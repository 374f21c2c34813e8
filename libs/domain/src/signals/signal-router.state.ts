import type { JsonObject } from '../shared/json';

/** A wait_for_signal step attempt waiting for a signal of one name. */
export interface SignalWait {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** The signal's params must equal each of these (see `matchesSignal`). */
  readonly match: JsonObject;
}

/**
 * What the signal router keeps per signal name (its compacted snapshot on
 * `baton.signal-state`): plain JSON, so a snapshot is `JSON.stringify` of it.
 *
 * Invariants: `waits[waitKey(w)] === w`; `recentSignalIds` holds no id twice
 * and at most `RECENT_SIGNALS_KEPT` ids.
 */
export interface SignalNameState {
  /** Open waits by `waitKey`, in the order they opened (the order signals reach them). */
  readonly waits: Readonly<Record<string, SignalWait>>;
  /** Ids of the latest signals routed, oldest first: a signal sent again is not routed again. */
  readonly recentSignalIds: readonly string[];
}

/**
 * How many signal ids per name are remembered. A resend is a retry (a client
 * that did not see the 202, a producer retrying after a timeout), which comes
 * within seconds; a window of the last thousand covers that at any realistic
 * rate while keeping the snapshot small.
 */
export const RECENT_SIGNALS_KEPT = 1_000;

export const emptySignalNameState: SignalNameState = { waits: {}, recentSignalIds: [] };

/** Identifies a wait: one attempt of one step of one run waits at most once per name. */
export function waitKey(wait: Pick<SignalWait, 'runId' | 'stepId' | 'attempt'>): string {
  return `${wait.runId}/${wait.stepId}/${wait.attempt}`;
}
