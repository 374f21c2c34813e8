import type { JsonObject } from '../shared/json';

/** A wait_for_signal step attempt waiting for a signal of one name. */
export interface SignalWait {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** The signal's params must equal each of these (see `matchesSignal`). */
  readonly match: JsonObject;
}

/** A signal kept for the waits that open after it (Maestro's signal instances). */
export interface StoredSignal {
  readonly signalId: string;
  readonly params: JsonObject;
  /** Epoch ms, as sent. */
  readonly sentAt: number;
  readonly sentBy?: string;
  /** Epoch ms of the router batch that routed it: retention counts from here (one clock, the router's). */
  readonly storedAt: number;
}

/**
 * How long, and how many, signals of one name are kept for waits that open
 * later (`BATON_SIGNAL_RETENTION_MS`, `BATON_SIGNAL_RETENTION_COUNT`). A
 * stored signal is dropped once it is older than `maxAgeMs`, or when a newer
 * one would make more than `maxCount` (the oldest goes first): the snapshot
 * of a name, rewritten with every batch that changes it, stays bounded.
 */
export interface SignalRetention {
  readonly maxAgeMs: number;
  readonly maxCount: number;
}

/** A day (a daily data-availability signal meets the day's runs) and the newest 100 per name. */
export const DEFAULT_SIGNAL_RETENTION: SignalRetention = { maxAgeMs: 24 * 60 * 60 * 1_000, maxCount: 100 };

/** What the router decides a record with besides the name's state: the batch's time and the retention. */
export interface SignalRouterContext {
  /** Epoch ms of the batch. */
  readonly now: number;
  readonly retention: SignalRetention;
}

/**
 * What the signal router keeps per signal name (its compacted snapshot on
 * `baton.signal-state`): plain JSON, so a snapshot is `JSON.stringify` of it.
 *
 * Invariants: `waits[waitKey(w)] === w`; `recentSignalIds` holds no id twice
 * and at most `RECENT_SIGNALS_KEPT` ids; `stored` is oldest first, holds no
 * id twice and at most `retention.maxCount` signals.
 */
export interface SignalNameState {
  /** Open waits by `waitKey`, in the order they opened (the order signals reach them). */
  readonly waits: Readonly<Record<string, SignalWait>>;
  /** Ids of the latest signals routed, oldest first: a signal sent again is not routed again. */
  readonly recentSignalIds: readonly string[];
  /** Signals within retention, oldest first: a wait that opens takes the newest it matches. */
  readonly stored: readonly StoredSignal[];
}

/**
 * How many signal ids per name are remembered. A resend is a retry (a client
 * that did not see the 202, a producer retrying after a timeout), which comes
 * within seconds; a window of the last thousand covers that at any realistic
 * rate while keeping the snapshot small. Stored signals are remembered too,
 * whatever this window says.
 */
export const RECENT_SIGNALS_KEPT = 1_000;

export const emptySignalNameState: SignalNameState = { waits: {}, recentSignalIds: [], stored: [] };

/** A snapshot as JSON: one written before signals were stored has no `stored`. */
export function signalNameStateFromJson(json: string): SignalNameState {
  return { ...emptySignalNameState, ...(JSON.parse(json) as Partial<SignalNameState>) };
}

/** Identifies a wait: one attempt of one step of one run waits at most once per name. */
export function waitKey(wait: Pick<SignalWait, 'runId' | 'stepId' | 'attempt'>): string {
  return `${wait.runId}/${wait.stepId}/${wait.attempt}`;
}
