import { EventTransaction, tableDecider, type Decision, type HandlerTable } from '../decider';
import type { DeliverSignal } from '../run/run.commands';
import type { SignalNameRecord, SignalSent, SignalWaitClosed, SignalWaitOpened } from './signal.messages';
import { matchesSignal } from './signal-match';
import {
  RECENT_SIGNALS_KEPT,
  waitKey,
  type SignalNameState,
  type SignalRouterContext,
  type SignalWait,
  type StoredSignal,
} from './signal-router.state';

/**
 * The signal router's decider, per signal name: what a record of
 * `baton.signals` means for the name's open waits and stored signals. Its
 * events are internal (they are never published); the router turns
 * `SignalRouted` and `StoredSignalMatched` into `DeliverSignal` commands and
 * signal-triggered run requests, and its state into a snapshot.
 */
export type SignalRouterEvent =
  | { readonly type: 'WaitOpened'; readonly wait: SignalWait }
  | { readonly type: 'WaitClosed'; readonly key: string }
  /** The signal reaches `deliveredTo` (every open wait it matches, in the order they opened), which close. */
  | {
      readonly type: 'SignalRouted';
      readonly signal: SignalSent;
      readonly deliveredTo: readonly SignalWait[];
    }
  /** A routed signal is kept for waits that open later, within retention. */
  | { readonly type: 'SignalStored'; readonly signal: StoredSignal }
  /** Stored signals past retention (too old, or beyond the count: the oldest first), forgotten. */
  | { readonly type: 'StoredSignalsDropped'; readonly signalIds: readonly string[] }
  /** A wait opening met a stored signal: the newest it matches is delivered at once, and the wait never opens. */
  | { readonly type: 'StoredSignalMatched'; readonly signal: StoredSignal; readonly wait: SignalWait }
  /** Sent again while its id is still remembered: routed already, so nothing happens. */
  | { readonly type: 'SignalDuplicateIgnored'; readonly signalId: string };

/** A name's events change its state as they are emitted; they carry nothing to stamp. */
export class SignalNameTransaction extends EventTransaction<SignalNameState, SignalRouterEvent> {
  constructor(state: SignalNameState) {
    super(state, { stamp: (event) => event, evolve: evolveSignalState });
  }
}

/** The router never refuses a record: one that changes nothing yields no event. */
const HANDLERS: HandlerTable<SignalNameRecord, SignalNameTransaction, SignalRouterContext, never> = {
  SignalWaitOpened: openWait,
  SignalWaitClosed: closeWait,
  SignalSent: routeSignal,
};

const nameTable = tableDecider<
  SignalNameRecord,
  SignalNameState,
  SignalRouterEvent,
  SignalRouterEvent,
  SignalNameTransaction,
  SignalRouterContext,
  never
>({
  handlers: HANDLERS,
  // Every record first forgets the stored signals past retention.
  begin: (_record, state, ctx) => {
    const tx = new SignalNameTransaction(state);
    const expired = state.stored.filter((s) => isExpired(s, ctx)).map((s) => s.signalId);
    if (expired.length > 0) tx.emit({ type: 'StoredSignalsDropped', signalIds: expired });
    return tx;
  },
  rejected: (_record, refused) => refused,
});

/**
 * What `record` means for its name's `state` at `ctx.now`, as events and the
 * state they lead to. Pure and total: a record that changes nothing (a wait
 * opened twice, a wait closed that is not open) yields no event, but for
 * stored signals it finds past retention.
 *
 * @example
 *   const { events, state: next } = decideSignalName(record, state, { now, retention: DEFAULT_SIGNAL_RETENTION });
 */
export function decideSignalName(
  record: SignalNameRecord,
  state: SignalNameState,
  ctx: SignalRouterContext,
): Decision<SignalNameState, SignalRouterEvent> {
  return nameTable.decide(record, state, ctx);
}

/**
 * `decideSignalName`'s events alone, for specs that fold them themselves.
 *
 * @example
 *   const events = decideSignalRecord(record, state, { now, retention: DEFAULT_SIGNAL_RETENTION });
 *   const next = events.reduce(evolveSignalState, state);
 */
export function decideSignalRecord(
  record: SignalNameRecord,
  state: SignalNameState,
  ctx: SignalRouterContext,
): SignalRouterEvent[] {
  return [...decideSignalName(record, state, ctx).events];
}

/** Applies one event; never changes `state` itself. */
export function evolveSignalState(state: SignalNameState, event: SignalRouterEvent): SignalNameState {
  switch (event.type) {
    case 'WaitOpened':
      return { ...state, waits: { ...state.waits, [waitKey(event.wait)]: event.wait } };
    case 'WaitClosed':
      return { ...state, waits: without(state.waits, [event.key]) };
    case 'SignalRouted':
      return {
        ...state,
        waits: without(state.waits, event.deliveredTo.map(waitKey)),
        recentSignalIds: [...state.recentSignalIds, event.signal.signalId].slice(-RECENT_SIGNALS_KEPT),
      };
    case 'SignalStored':
      return { ...state, stored: [...state.stored, event.signal] };
    case 'StoredSignalsDropped': {
      const ids = new Set(event.signalIds);
      return { ...state, stored: state.stored.filter((s) => !ids.has(s.signalId)) };
    }
    case 'StoredSignalMatched':
    case 'SignalDuplicateIgnored':
      return state;
    default:
      return unreachable(event);
  }
}

/**
 * The command that tells a run its step's signal arrived. The command id is
 * a function of the signal and the wait, so the same delivery written twice
 * is recognisably the same command; the run id is left out of it (the
 * command is addressed to the run already) to keep it short.
 */
export function deliverSignalCommand(
  signal: Pick<SignalSent, 'signalId' | 'params' | 'sentBy'>,
  wait: SignalWait,
  at: number,
): DeliverSignal {
  return {
    type: 'DeliverSignal',
    runId: wait.runId,
    stepId: wait.stepId,
    attempt: wait.attempt,
    signalId: signal.signalId,
    signalParams: signal.params,
    metadata: {
      commandId: `signal/${signal.signalId}/${wait.stepId}/${wait.attempt}`,
      at,
      ...(signal.sentBy === undefined ? {} : { by: signal.sentBy }),
    },
  };
}

function openWait(record: SignalWaitOpened, tx: SignalNameTransaction): null {
  // The first opening stands: the engine opens an attempt's wait once, so a
  // second record for it is a copy.
  if (Object.hasOwn(tx.state.waits, waitKey(record))) return null;
  const { runId, stepId, attempt, match } = record;
  const wait = { runId, stepId, attempt, match };
  // Expired ones were dropped before: what is left is within retention. The
  // newest is the freshest fact (today's load rather than yesterday's).
  const stored = tx.state.stored.findLast((signal) => matchesSignal(match, signal.params));
  tx.emit(
    stored === undefined
      ? { type: 'WaitOpened', wait }
      : { type: 'StoredSignalMatched', signal: stored, wait },
  );
  return null;
}

function closeWait(record: SignalWaitClosed, tx: SignalNameTransaction): null {
  const key = waitKey(record);
  if (Object.hasOwn(tx.state.waits, key)) tx.emit({ type: 'WaitClosed', key });
  return null;
}

function routeSignal(signal: SignalSent, tx: SignalNameTransaction, ctx: SignalRouterContext): null {
  const { signalId } = signal;
  const state = tx.state;
  if (state.recentSignalIds.includes(signalId) || state.stored.some((s) => s.signalId === signalId)) {
    tx.emit({ type: 'SignalDuplicateIgnored', signalId });
    return null;
  }
  const deliveredTo = Object.values(state.waits).filter((wait) => matchesSignal(wait.match, signal.params));
  const stored: StoredSignal = {
    signalId,
    params: signal.params,
    sentAt: signal.sentAt,
    ...(signal.sentBy === undefined ? {} : { sentBy: signal.sentBy }),
    storedAt: ctx.now,
  };
  // Room for the new one: the oldest beyond the count go first.
  const over = state.stored.length + 1 - ctx.retention.maxCount;
  tx.emit({ type: 'SignalRouted', signal, deliveredTo });
  if (over > 0) {
    tx.emit({ type: 'StoredSignalsDropped', signalIds: state.stored.slice(0, over).map((s) => s.signalId) });
  }
  tx.emit({ type: 'SignalStored', signal: stored });
  return null;
}

/** Past `maxAgeMs` since it was stored; a signal stored exactly `maxAgeMs` ago is still kept. */
function isExpired(signal: StoredSignal, ctx: SignalRouterContext): boolean {
  return ctx.now - signal.storedAt > ctx.retention.maxAgeMs;
}

function without(
  waits: Readonly<Record<string, SignalWait>>,
  keys: readonly string[],
): Readonly<Record<string, SignalWait>> {
  if (keys.length === 0) return waits;
  const next = { ...waits };
  for (const key of keys) delete next[key];
  return next;
}

function unreachable(event: never): never {
  throw new Error(`unhandled signal router event ${JSON.stringify(event)}`);
}
