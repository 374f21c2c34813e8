export * from './signal.messages';
export { jsonEquals, matchesSignal } from './signal-match';
export {
  DEFAULT_SIGNAL_RETENTION,
  emptySignalNameState,
  RECENT_SIGNALS_KEPT,
  signalNameStateFromJson,
  waitKey,
  type SignalNameState,
  type SignalRetention,
  type SignalRouterContext,
  type SignalWait,
  type StoredSignal,
} from './signal-router.state';
export {
  decideSignalName,
  decideSignalRecord,
  deliverSignalCommand,
  evolveSignalState,
  type SignalRouterEvent,
} from './signal-router';
export {
  decideSignalJoin,
  decideSignalOffer,
  emptySignalJoinState,
  evolveSignalJoin,
  JOIN_SEARCH_BUDGET,
  offersFor,
  signalSetContext,
  signalSetRequestId,
  type PendingSignal,
  type SignalJoinEvent,
  type SignalJoinState,
} from './signal-joins';
export {
  triggerParams,
  runsTriggeredBy,
  signalTriggerRequestId,
  type SignalExpressionContext,
  type SignalExpressionEvaluator,
  type SignalSetExpressionContext,
  type TriggeredRun,
  type WorkflowSignalTriggers,
} from './signal-triggers';
export { celSignalExpressions } from './signal-expressions';
