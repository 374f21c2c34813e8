import type { DeliverSignal } from '../run/run.commands';
import type { SignalRecord, SignalSent, SignalWaitClosed, SignalWaitOpened } from './signal.messages';
import { matchesSignal } from './signal-match';
import { RECENT_SIGNALS_KEPT, waitKey, type SignalNameState, type SignalWait } from './signal-router.state';

/**
 * The signal router's decider, per signal name: what a record of
 * `baton.signals` means for the name's open waits. Its events are internal
 * (they are never published); the router turns `SignalRouted` into
 * `DeliverSignal` commands and signal-triggered run requests, and its state
 * into a snapshot.
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
  /** Sent again while its id is still remembered: routed already, so nothing happens. */
  | { readonly type: 'SignalDuplicateIgnored'; readonly signalId: string };

type Handler<R extends SignalRecord> = (record: R, state: SignalNameState) => SignalRouterEvent[];
type HandlerTable = { readonly [K in SignalRecord['type']]: Handler<Extract<SignalRecord, { type: K }>> };

const HANDLERS: HandlerTable = {
  SignalWaitOpened: openWait,
  SignalWaitClosed: closeWait,
  SignalSent: routeSignal,
};

/**
 * What `record` means for its name's `state`. Pure and total: a record that
 * changes nothing (a wait opened twice, a wait closed that is not open)
 * yields no event.
 *
 * @example
 *   const events = decideSignalRecord(record, state);
 *   const next = events.reduce(evolveSignalState, state);
 */
export function decideSignalRecord(record: SignalRecord, state: SignalNameState): SignalRouterEvent[] {
  // The table pairs each `type` with its handler; TypeScript cannot follow
  // that through an indexed access, hence the one cast.
  return (HANDLERS[record.type] as Handler<SignalRecord>)(record, state);
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
        waits: without(state.waits, event.deliveredTo.map(waitKey)),
        recentSignalIds: [...state.recentSignalIds, event.signal.signalId].slice(-RECENT_SIGNALS_KEPT),
      };
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
export function deliverSignalCommand(signal: SignalSent, wait: SignalWait, at: number): DeliverSignal {
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

function openWait(record: SignalWaitOpened, state: SignalNameState): SignalRouterEvent[] {
  // The first opening stands: the engine opens an attempt's wait once, so a
  // second record for it is a copy.
  if (Object.hasOwn(state.waits, waitKey(record))) return [];
  const { runId, stepId, attempt, match } = record;
  return [{ type: 'WaitOpened', wait: { runId, stepId, attempt, match } }];
}

function closeWait(record: SignalWaitClosed, state: SignalNameState): SignalRouterEvent[] {
  const key = waitKey(record);
  return Object.hasOwn(state.waits, key) ? [{ type: 'WaitClosed', key }] : [];
}

function routeSignal(signal: SignalSent, state: SignalNameState): SignalRouterEvent[] {
  if (state.recentSignalIds.includes(signal.signalId)) {
    return [{ type: 'SignalDuplicateIgnored', signalId: signal.signalId }];
  }
  const deliveredTo = Object.values(state.waits).filter((wait) => matchesSignal(wait.match, signal.params));
  return [{ type: 'SignalRouted', signal, deliveredTo }];
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
