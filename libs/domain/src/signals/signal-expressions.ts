import { evaluateExpression } from '../expressions';
import type { SignalExpressionEvaluator } from './signal-triggers';

/**
 * CEL for signal triggers' params: the same language, limits and cache as
 * every other expression, over a context holding only `signal`.
 */
export const celSignalExpressions: SignalExpressionEvaluator = {
  evaluate: (source, context) => evaluateExpression(source, context),
};
