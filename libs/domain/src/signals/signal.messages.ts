import type { JsonObject } from '../shared/json';
import type { SignalSetTrigger } from '../workflow/workflow-definition';

/**
 * Records of `baton.signals`, keyed by signal name, read by the signal router
 * (the single writer of each signal name's waits).
 */

/** A signal: from `POST /api/v1/signals` or any service publishing to the topic. */
export interface SignalSent {
  readonly type: 'SignalSent';
  /** Unique per signal; the idempotency key (a resent signal is delivered once). */
  readonly signalId: string;
  readonly name: string;
  readonly params: JsonObject;
  /** Epoch ms. */
  readonly sentAt: number;
  /** Who sent it (an API principal's subject); the deliveries and triggered runs it causes carry it as `by`. */
  readonly sentBy?: string;
}

/** Written by the engine when a wait_for_signal step starts waiting. */
export interface SignalWaitOpened {
  readonly type: 'SignalWaitOpened';
  readonly name: string;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  /** The signal's params must equal each of these. */
  readonly match: JsonObject;
}

/** Written by the engine when a waiting step stops waiting for another reason (cancel, skip, timeout). */
export interface SignalWaitClosed {
  readonly type: 'SignalWaitClosed';
  readonly name: string;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
}

/**
 * Written by the router when a signal matches a member of a trigger on
 * several signals: the signal goes to the join of that trigger (keyed by
 * `joinKey`, so every signal of the set meets in one single writer whatever
 * its name's partition). It carries the trigger, so the join decides
 * without reading the registry.
 */
export interface SignalOffered {
  readonly type: 'SignalOffered';
  /** The join's key (`joinKey(workflowId, version, triggerIndex)`), which keys the record. */
  readonly name: string;
  readonly workflowId: string;
  readonly version: number;
  readonly triggerIndex: number;
  readonly trigger: SignalSetTrigger;
  /** The member of `trigger.all` the signal matched. */
  readonly alias: string;
  readonly signal: Omit<SignalSent, 'type'>;
}

/** The records a signal name's state is decided by (`decideSignalRecord`). */
export type SignalNameRecord = SignalSent | SignalWaitOpened | SignalWaitClosed;

export type SignalRecord = SignalNameRecord | SignalOffered;

/** The key of a trigger's join: it starts with `@`, which no signal name does. */
export function joinKey(workflowId: string, version: number, triggerIndex: number): string {
  return `@join/${workflowId}/${version}/${triggerIndex}`;
}

/**
 * Signal names: a letter, then letters, digits, `_`, `.`, `-` or `/`; at most
 * 128 characters (`table.loaded`, `warehouse/sales/loaded`). A name is only
 * ever a record key and a JSON string, so `/` needs no escaping anywhere; the
 * leading letter keeps names apart from the router's internal keys (`@...`).
 */
export const SIGNAL_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_./-]{0,127}$/;

/**
 * Signal ids: 1 to 128 printable ASCII characters, no spaces (a UUID, a
 * ULID, `sales-2026-01-02`). Bounded so the ids derived from them (request
 * ids of triggered runs, command ids of deliveries) stay within theirs.
 */
export const SIGNAL_ID_PATTERN = /^[!-~]{1,128}$/;
