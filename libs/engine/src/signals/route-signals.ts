import {
  DEFAULT_SIGNAL_RETENTION,
  decideSignalJoin,
  decideSignalName,
  deliverSignalCommand,
  emptySignalJoinState,
  emptySignalNameState,
  offersFor,
  runsTriggeredBy,
  signalNameStateFromJson,
  type SignalExpressionEvaluator,
  type SignalJoinEvent,
  type SignalJoinState,
  type SignalNameState,
  type SignalRecord,
  type SignalRetention,
  type SignalRouterContext,
  type SignalRouterEvent,
  type SignalSent,
  type SignalWait,
  type WorkflowSignalTriggers,
} from '@baton/domain/signals';
import { deadLetterRecord, Topics, type RunRequest } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import type { KeyedBatchResult } from '../writer/keyed-state-processor';
import { decideKeyedBatch } from '../writer/keyed-batch';
import { joinedRunRecord } from './join-records';
import { decodeSignalRecord } from './signal-record.codec';

export interface SignalRouteContext {
  /** Epoch ms of the batch: the `at` of the commands it writes. */
  readonly now: number;
  /** Signal triggers of the active versions (the trigger catalog's latest read). */
  readonly triggers: readonly WorkflowSignalTriggers[];
  readonly expressions: SignalExpressionEvaluator;
  /** How long and how many signals each name (and each join alias) keeps; `DEFAULT_SIGNAL_RETENTION` when absent. */
  readonly retention?: SignalRetention;
}

export interface SignalRouteCounts {
  /** Signals routed (resends not included). */
  signals: number;
  duplicates: number;
  /** Deliveries of all kinds, and of those the ones to a wait that met a stored signal as it opened. */
  deliveries: number;
  storedMatches: number;
  runsRequested: number;
  waitsOpened: number;
  waitsClosed: number;
  /** Signals offered to triggers on several signals, and the sets those joined. */
  offers: number;
  joins: number;
  deadLetters: number;
}

/** What the router keeps per key: a signal name's waits and stored signals, or a trigger's join (`@join/...`). */
export type SignalRouterState = SignalNameState | SignalJoinState;

export function isJoinState(state: SignalRouterState): state is SignalJoinState {
  return (state as Partial<SignalJoinState>).kind === 'join';
}

/** A snapshot of either kind; a name's snapshot from before stored signals reads as one with none. */
export function signalRouterStateFromJson(json: string): SignalRouterState {
  const plain = JSON.parse(json) as Partial<SignalJoinState>;
  return plain.kind === 'join' ? { ...emptySignalJoinState, ...plain } : signalNameStateFromJson(json);
}

export interface RoutedSignals extends KeyedBatchResult<SignalRouterState> {
  readonly records: OutgoingRecord[];
  readonly changed: Map<string, SignalRouterState>;
  readonly counts: SignalRouteCounts;
}

type RouterEvent = SignalRouterEvent | SignalJoinEvent;

/**
 * Routes a batch of `baton.signals` records against the partition's signal
 * names and joins. Pure but for JSON encoding; the caller writes `records`,
 * a snapshot per `changed` key and the input offset in one transaction,
 * then adopts `changed`.
 *
 * Per routed signal it writes a `DeliverSignal` (baton.run-commands, keyed by
 * run id) for each wait it reached, a run request (baton.run-requests, keyed
 * by workflow id) for each signal trigger it fires, and a `SignalOffered`
 * (back on baton.signals, keyed by the join) for each member of a trigger on
 * several signals it matches; a join that completes a set writes its run
 * request. Undecodable records and triggers whose params fail to evaluate go
 * to the dead letters with the reason; the batch goes on.
 */
export function routeSignals(
  states: ReadonlyMap<string, SignalRouterState>,
  records: readonly LogRecord[],
  ctx: SignalRouteContext,
): RoutedSignals {
  const counts: SignalRouteCounts = {
    signals: 0,
    duplicates: 0,
    deliveries: 0,
    storedMatches: 0,
    runsRequested: 0,
    waitsOpened: 0,
    waitsClosed: 0,
    offers: 0,
    joins: 0,
    deadLetters: 0,
  };
  const at: SignalRouterContext = { now: ctx.now, retention: ctx.retention ?? DEFAULT_SIGNAL_RETENTION };
  const joinCtx = { ...at, expressions: ctx.expressions };
  const {
    records: out,
    changed,
    deadLetters,
  } = decideKeyedBatch<SignalRouterState, SignalRecord, RouterEvent>(states, records, {
    now: ctx.now,
    // A bug (or params nested deep enough to overflow the stack) must not stop the partition.
    undecided: 'signal router could not route the record',
    decode: decodeSignalRecord,
    keyOf: (value) => value.name,
    // A key holds a join or a name, never both: the other kind starts empty.
    begin: (value, held) =>
      value.type === 'SignalOffered'
        ? held !== undefined && isJoinState(held)
          ? held
          : emptySignalJoinState
        : held !== undefined && !isJoinState(held)
          ? held
          : emptySignalNameState,
    decide: (value, state) =>
      value.type === 'SignalOffered'
        ? decideSignalJoin(value, state as SignalJoinState, joinCtx)
        : decideSignalName(value, state as SignalNameState, at),
    write: (value, { events }, _before, record) => {
      const routed =
        value.type === 'SignalOffered'
          ? (events as readonly SignalJoinEvent[]).flatMap((event) => joinRecordsFor(event, record, ctx))
          : (events as readonly SignalRouterEvent[]).flatMap((event) => recordsFor(event, record, ctx));
      count(counts, events, routed);
      return routed;
    },
    // Written whenever the record is about a key: even one it left empty.
    changed: (decision, held) => decision.state !== held,
  });
  counts.deadLetters += deadLetters;
  return { records: out, changed, counts };
}

function recordsFor(event: SignalRouterEvent, record: LogRecord, ctx: SignalRouteContext): OutgoingRecord[] {
  switch (event.type) {
    case 'WaitOpened':
    case 'WaitClosed':
    case 'SignalStored':
    case 'StoredSignalsDropped':
    case 'SignalDuplicateIgnored':
      return [];
    case 'StoredSignalMatched':
      return [deliveryRecord(event.signal, event.wait, ctx.now)];
    case 'SignalRouted': {
      const deliveries = event.deliveredTo.map((wait) => deliveryRecord(event.signal, wait, ctx.now));
      const offers = offersFor(event.signal, ctx.triggers).map((offer) => ({
        topic: Topics.signals,
        key: offer.name,
        value: JSON.stringify(offer),
      }));
      return [...deliveries, ...triggeredRequests(event.signal, record, ctx), ...offers];
    }
    default:
      return unreachable(event);
  }
}

function joinRecordsFor(
  event: SignalJoinEvent,
  record: LogRecord,
  ctx: SignalRouteContext,
): OutgoingRecord[] {
  switch (event.type) {
    case 'SignalPending':
    case 'PendingSignalsDropped':
    case 'OfferDuplicateIgnored':
      return [];
    case 'SignalsJoined':
      return [joinedRunRecord(event, record, ctx.expressions, ctx.now)];
    default:
      return unreachable(event);
  }
}

function deliveryRecord(
  signal: Parameters<typeof deliverSignalCommand>[0],
  wait: SignalWait,
  now: number,
): OutgoingRecord {
  const command = deliverSignalCommand(signal, wait, now);
  return { topic: Topics.runCommands, key: command.runId, value: JSON.stringify(command) };
}

/** A run request per trigger the signal fires; a dead letter of the signal per trigger that cannot fire. */
function triggeredRequests(signal: SignalSent, record: LogRecord, ctx: SignalRouteContext): OutgoingRecord[] {
  return runsTriggeredBy(signal, ctx.triggers, ctx.expressions).map((run) => {
    if (!run.ok) return deadLetterRecord(record, `signal trigger not fired: ${run.message}`, [], ctx.now);
    const request: RunRequest = {
      schemaVersion: 1,
      workflowId: run.workflowId,
      version: run.version,
      requestId: run.requestId,
      params: run.params,
      // The signal's time, not the router's: routing the signal again asks for the same run.
      requestedAt: signal.sentAt,
      ...(signal.sentBy === undefined ? {} : { requestedBy: signal.sentBy }),
    };
    return { topic: Topics.runRequests, key: run.workflowId, value: JSON.stringify(request) };
  });
}

function count(
  counts: SignalRouteCounts,
  events: readonly { type: string }[],
  routed: readonly OutgoingRecord[],
): void {
  for (const event of events) {
    if (event.type === 'WaitOpened') counts.waitsOpened++;
    else if (event.type === 'WaitClosed') counts.waitsClosed++;
    else if (event.type === 'SignalDuplicateIgnored') counts.duplicates++;
    else if (event.type === 'SignalRouted') counts.signals++;
    else if (event.type === 'StoredSignalMatched') counts.storedMatches++;
    else if (event.type === 'SignalsJoined') counts.joins++;
  }
  for (const { topic } of routed) {
    if (topic === Topics.runCommands) counts.deliveries++;
    else if (topic === Topics.runRequests) counts.runsRequested++;
    else if (topic === Topics.signals) counts.offers++;
    else counts.deadLetters++;
  }
}

function unreachable(event: never): never {
  throw new Error(`unhandled signal router event ${JSON.stringify(event)}`);
}
