import {
  DEFAULT_SIGNAL_RETENTION,
  decideSignalRecord,
  deliverSignalCommand,
  emptySignalNameState,
  evolveSignalState,
  runsTriggeredBy,
  type SignalExpressionEvaluator,
  type SignalNameState,
  type SignalRetention,
  type SignalRouterEvent,
  type SignalSent,
  type SignalWait,
  type WorkflowSignalTriggers,
} from '@baton/domain/signals';
import { deadLetterRecord, Topics, type RunRequest } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import type { KeyedBatchResult } from '../keyed-state-processor';
import { decodeSignalRecord } from './signal-record.codec';

export interface SignalRouteContext {
  /** Epoch ms of the batch: the `at` of the commands it writes. */
  readonly now: number;
  /** Signal triggers of the active versions (the trigger catalog's latest read). */
  readonly triggers: readonly WorkflowSignalTriggers[];
  readonly expressions: SignalExpressionEvaluator;
  /** How long and how many signals each name keeps for later waits; `DEFAULT_SIGNAL_RETENTION` when absent. */
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
  deadLetters: number;
}

export interface RoutedSignals extends KeyedBatchResult<SignalNameState> {
  readonly records: OutgoingRecord[];
  readonly changed: Map<string, SignalNameState>;
  readonly counts: SignalRouteCounts;
}

/**
 * Routes a batch of `baton.signals` records against the partition's signal
 * names. Pure but for JSON encoding; the caller writes `records`, a snapshot
 * per `changed` name and the input offset in one transaction, then adopts
 * `changed`.
 *
 * Per routed signal it writes a `DeliverSignal` (baton.run-commands, keyed by
 * run id) for each wait it reached, and a run request (baton.run-requests,
 * keyed by workflow id) for each signal trigger it fires. Undecodable records
 * and triggers whose params fail to evaluate go to the dead letters with the
 * reason; the batch goes on.
 */
export function routeSignals(
  states: ReadonlyMap<string, SignalNameState>,
  records: readonly LogRecord[],
  ctx: SignalRouteContext,
): RoutedSignals {
  const out: OutgoingRecord[] = [];
  const changed = new Map<string, SignalNameState>();
  const counts: SignalRouteCounts = {
    signals: 0,
    duplicates: 0,
    deliveries: 0,
    storedMatches: 0,
    runsRequested: 0,
    waitsOpened: 0,
    waitsClosed: 0,
    deadLetters: 0,
  };
  for (const record of records) {
    const decoded = decodeSignalRecord(record);
    if (!decoded.ok) {
      out.push(deadLetterRecord(record, decoded.reason, decoded.problems, ctx.now));
      counts.deadLetters++;
      continue;
    }
    const name = decoded.value.name;
    const before = changed.get(name) ?? states.get(name) ?? emptySignalNameState;
    let events: SignalRouterEvent[];
    let routed: OutgoingRecord[];
    try {
      events = decideSignalRecord(decoded.value, before, {
        now: ctx.now,
        retention: ctx.retention ?? DEFAULT_SIGNAL_RETENTION,
      });
      routed = events.flatMap((event) => recordsFor(event, record, ctx));
    } catch (error) {
      // A bug (or params nested deep enough to overflow the stack) must not stop the partition.
      out.push(
        deadLetterRecord(
          record,
          `signal router could not route the record: ${(error as Error).message}`,
          [],
          ctx.now,
        ),
      );
      counts.deadLetters++;
      continue;
    }
    out.push(...routed);
    count(counts, events, routed);
    const after = events.reduce(evolveSignalState, before);
    if (after !== before) changed.set(name, after);
  }
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
      return [...deliveries, ...triggeredRequests(event.signal, record, ctx)];
    }
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
  events: readonly SignalRouterEvent[],
  routed: readonly OutgoingRecord[],
): void {
  for (const event of events) {
    if (event.type === 'WaitOpened') counts.waitsOpened++;
    else if (event.type === 'WaitClosed') counts.waitsClosed++;
    else if (event.type === 'SignalDuplicateIgnored') counts.duplicates++;
    else if (event.type === 'SignalRouted') counts.signals++;
    else if (event.type === 'StoredSignalMatched') counts.storedMatches++;
  }
  for (const { topic } of routed) {
    if (topic === Topics.runCommands) counts.deliveries++;
    else if (topic === Topics.runRequests) counts.runsRequested++;
    else counts.deadLetters++;
  }
}

function unreachable(event: never): never {
  throw new Error(`unhandled signal router event ${JSON.stringify(event)}`);
}
