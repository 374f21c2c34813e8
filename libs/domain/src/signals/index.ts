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
  decideSignalRecord,
  deliverSignalCommand,
  evolveSignalState,
  type SignalRouterEvent,
} from './signal-router';
export {
  runsTriggeredBy,
  signalTriggerRequestId,
  type SignalExpressionContext,
  type SignalExpressionEvaluator,
  type TriggeredRun,
  type WorkflowSignalTriggers,
} from './signal-triggers';
export { celSignalExpressions } from './signal-expressions';
