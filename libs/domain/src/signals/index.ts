export * from './signal.messages';
export { jsonEquals, matchesSignal } from './signal-match';
export {
  emptySignalNameState,
  RECENT_SIGNALS_KEPT,
  waitKey,
  type SignalNameState,
  type SignalWait,
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
