import { EventTransaction, tableDecider, type Decision } from '../decider';
import type { SignalSetTrigger } from '../workflow/workflow-definition';
import { isSignalSetTrigger } from '../workflow/workflow-definition';
import { joinKey, type SignalOffered, type SignalSent } from './signal.messages';
import { jsonEquals, matchesSignal } from './signal-match';
import { RECENT_SIGNALS_KEPT, type SignalRouterContext, type StoredSignal } from './signal-router.state';
import type {
  SignalExpressionEvaluator,
  SignalSetExpressionContext,
  WorkflowSignalTriggers,
} from './signal-triggers';

/** A signal waiting in a join for the rest of its set. */
export interface PendingSignal extends StoredSignal {
  readonly alias: string;
  readonly name: string;
}

/**
 * What the router keeps per trigger on several signals (its snapshot on
 * `baton.signal-state`, under `joinKey`). Invariants: `pending` is oldest
 * first, holds no (alias, signal id) twice and at most `retention.maxCount`
 * signals per alias, none older than `retention.maxAgeMs` as of the last offer.
 */
export interface SignalJoinState {
  readonly kind: 'join';
  readonly pending: readonly PendingSignal[];
  /** `alias/signalId` of the latest signals joined (at most `RECENT_SIGNALS_KEPT`): an offer again is not a new signal. */
  readonly joined: readonly string[];
}

export const emptySignalJoinState: SignalJoinState = { kind: 'join', pending: [], joined: [] };

export type SignalJoinEvent =
  | { readonly type: 'SignalPending'; readonly signal: PendingSignal }
  /** Past retention (too old, or beyond the count per alias: the oldest first), forgotten. */
  | { readonly type: 'PendingSignalsDropped'; readonly dropped: readonly PendingRef[] }
  /** A complete set: it starts one run, and its signals leave the join. */
  | {
      readonly type: 'SignalsJoined';
      readonly workflowId: string;
      readonly version: number;
      readonly triggerIndex: number;
      readonly trigger: SignalSetTrigger;
      readonly signals: Readonly<Record<string, PendingSignal>>;
      /** The signal whose arrival completed the set: names the run request. */
      readonly completedBy: string;
    }
  | { readonly type: 'OfferDuplicateIgnored'; readonly alias: string; readonly signalId: string };

export interface PendingRef {
  readonly alias: string;
  readonly signalId: string;
}

export interface SignalJoinContext extends SignalRouterContext {
  readonly expressions: SignalExpressionEvaluator;
}

/**
 * Sets tried per offer at most: with join keys the search is short; without,
 * it is bounded so that one offer cannot stall the partition.
 */
export const JOIN_SEARCH_BUDGET = 10_000;

/** A join's events change its state as they are emitted; they carry nothing to stamp. */
class SignalJoinTransaction extends EventTransaction<SignalJoinState, SignalJoinEvent> {
  constructor(state: SignalJoinState) {
    super(state, { stamp: (event) => event, evolve: evolveSignalJoin });
  }
}

const joinTable = tableDecider<
  SignalOffered,
  SignalJoinState,
  SignalJoinEvent,
  SignalJoinEvent,
  SignalJoinTransaction,
  SignalJoinContext,
  never
>({
  handlers: { SignalOffered: joinOffer },
  begin: (_offer, state) => new SignalJoinTransaction(state),
  rejected: (_offer, refused) => refused,
});

/**
 * What an offered signal means for its trigger's join, as events and the
 * state they lead to. The new signal joins the pending ones; if a set
 * containing it is complete (a signal per alias, each used once, agreeing
 * on `join`, `condition` true), the oldest such set is joined. Only sets
 * containing the new signal are searched: any other set was complete
 * before, and would have been joined then.
 *
 * @example
 *   const { events, state: next } = decideSignalJoin(offer, state, { now, retention, expressions: celSignalExpressions });
 */
export function decideSignalJoin(
  offer: SignalOffered,
  state: SignalJoinState,
  ctx: SignalJoinContext,
): Decision<SignalJoinState, SignalJoinEvent> {
  return joinTable.decide(offer, state, ctx);
}

/**
 * `decideSignalJoin`'s events alone, for specs that fold them themselves.
 *
 * @example
 *   const events = decideSignalOffer(offer, state, { now, retention, expressions: celSignalExpressions });
 *   const next = events.reduce(evolveSignalJoin, state);
 */
export function decideSignalOffer(
  offer: SignalOffered,
  state: SignalJoinState,
  ctx: SignalJoinContext,
): SignalJoinEvent[] {
  return [...decideSignalJoin(offer, state, ctx).events];
}

function joinOffer(offer: SignalOffered, tx: SignalJoinTransaction, ctx: SignalJoinContext): null {
  const expired = tx.state.pending.filter((p) => ctx.now - p.storedAt > ctx.retention.maxAgeMs);
  if (expired.length > 0) tx.emit({ type: 'PendingSignalsDropped', dropped: expired.map(ref) });
  const { alias, signal } = offer;
  if (
    tx.state.pending.some((p) => p.alias === alias && p.signalId === signal.signalId) ||
    tx.state.joined.includes(refKey({ alias, signalId: signal.signalId }))
  ) {
    tx.emit({ type: 'OfferDuplicateIgnored', alias, signalId: signal.signalId });
    return null;
  }
  const ofAlias = tx.state.pending.filter((p) => p.alias === alias);
  const over = ofAlias.length + 1 - ctx.retention.maxCount;
  if (over > 0) tx.emit({ type: 'PendingSignalsDropped', dropped: ofAlias.slice(0, over).map(ref) });
  const pending: PendingSignal = {
    alias,
    name: signal.name,
    signalId: signal.signalId,
    params: signal.params,
    sentAt: signal.sentAt,
    ...(signal.sentBy === undefined ? {} : { sentBy: signal.sentBy }),
    storedAt: ctx.now,
  };
  tx.emit({ type: 'SignalPending', signal: pending });
  const set = findSet(offer.trigger, tx.state.pending, pending, ctx.expressions);
  if (set !== undefined) {
    const { workflowId, version, triggerIndex, trigger } = offer;
    tx.emit({
      type: 'SignalsJoined',
      workflowId,
      version,
      triggerIndex,
      trigger,
      signals: set,
      completedBy: signal.signalId,
    });
  }
  return null;
}

/**
 * The offers a fresh signal makes: one per member (alias) of a trigger on
 * several signals, of any active version, whose name and match it
 * satisfies. A signal may fill several aliases, and several triggers.
 */
export function offersFor(signal: SignalSent, workflows: readonly WorkflowSignalTriggers[]): SignalOffered[] {
  const { type: _type, ...sent } = signal;
  const offers: SignalOffered[] = [];
  for (const { workflowId, version, signals } of workflows) {
    signals.forEach((trigger, triggerIndex) => {
      if (!isSignalSetTrigger(trigger)) return;
      for (const [alias, member] of Object.entries(trigger.all)) {
        if (member.signal !== signal.name || !matchesSignal(member.match, signal.params)) continue;
        offers.push({
          type: 'SignalOffered',
          name: joinKey(workflowId, version, triggerIndex),
          workflowId,
          version,
          triggerIndex,
          trigger,
          alias,
          signal: sent,
        });
      }
    });
  }
  return offers;
}

/** Applies one event; never changes `state` itself. */
export function evolveSignalJoin(state: SignalJoinState, event: SignalJoinEvent): SignalJoinState {
  switch (event.type) {
    case 'SignalPending':
      return { ...state, pending: [...state.pending, event.signal] };
    case 'PendingSignalsDropped':
      return { ...state, pending: withoutRefs(state.pending, event.dropped) };
    case 'SignalsJoined': {
      const refs = Object.values(event.signals).map(ref);
      return {
        ...state,
        pending: withoutRefs(state.pending, refs),
        joined: [...state.joined, ...refs.map(refKey)].slice(-RECENT_SIGNALS_KEPT),
      };
    }
    case 'OfferDuplicateIgnored':
      return state;
    default:
      return unreachable(event);
  }
}

/** What the condition and the run's params read: `signals.<alias>.id|name|params`. */
export function signalSetContext(
  signals: Readonly<Record<string, PendingSignal>>,
): SignalSetExpressionContext {
  return {
    signals: Object.fromEntries(
      Object.entries(signals).map(([alias, s]) => [
        alias,
        { id: s.signalId, name: s.name, params: s.params },
      ]),
    ),
  };
}

/** The run request id of a joined set: the completing signal and the trigger name it, as for one signal. */
export function signalSetRequestId(completedBy: string, triggerIndex: number): string {
  return `signals:${completedBy}:${triggerIndex}`;
}

/**
 * The oldest complete set holding `fixed` (for its alias): aliases are
 * filled in declaration order, each from its pending signals oldest first,
 * backtracking; a signal fills one alias at most.
 */
function findSet(
  trigger: SignalSetTrigger,
  pending: readonly PendingSignal[],
  fixed: PendingSignal,
  expressions: SignalExpressionEvaluator,
): Record<string, PendingSignal> | undefined {
  const aliases = Object.keys(trigger.all);
  const chosen: Record<string, PendingSignal> = {};
  let budget = JOIN_SEARCH_BUDGET;
  const fill = (i: number): boolean => {
    if (budget <= 0) return false;
    if (i === aliases.length) {
      budget--;
      return conditionHolds(trigger, chosen, expressions);
    }
    const alias = aliases[i];
    const candidates = alias === fixed.alias ? [fixed] : pending.filter((p) => p.alias === alias);
    for (const candidate of candidates) {
      const used = Object.values(chosen).some((c) => c.signalId === candidate.signalId);
      if (used || !agrees(trigger.join, chosen, candidate)) continue;
      chosen[alias] = candidate;
      if (fill(i + 1)) return true;
      delete chosen[alias];
      budget--;
      if (budget <= 0) return false;
    }
    return false;
  };
  return fill(0) ? { ...chosen } : undefined;
}

/** The candidate carries every join param, equal to the chosen signals' values. */
function agrees(
  join: readonly string[],
  chosen: Readonly<Record<string, PendingSignal>>,
  candidate: PendingSignal,
): boolean {
  const first = Object.values(chosen)[0];
  return join.every(
    (key) =>
      Object.hasOwn(candidate.params, key) &&
      (first === undefined || jsonEquals(first.params[key], candidate.params[key])),
  );
}

/** No condition holds; one that fails to evaluate (a missing param) or is not `true` does not. */
function conditionHolds(
  trigger: SignalSetTrigger,
  chosen: Readonly<Record<string, PendingSignal>>,
  expressions: SignalExpressionEvaluator,
): boolean {
  if (trigger.condition === undefined) return true;
  const result = expressions.evaluate(trigger.condition, signalSetContext(chosen));
  return result.ok && result.value === true;
}

function ref(p: PendingRef): PendingRef {
  return { alias: p.alias, signalId: p.signalId };
}

function refKey(r: PendingRef): string {
  return `${r.alias}/${r.signalId}`;
}

function withoutRefs(pending: readonly PendingSignal[], refs: readonly PendingRef[]): PendingSignal[] {
  const keys = new Set(refs.map(refKey));
  return pending.filter((p) => !keys.has(refKey(p)));
}

function unreachable(event: never): never {
  throw new Error(`unhandled signal join event ${JSON.stringify(event)}`);
}
