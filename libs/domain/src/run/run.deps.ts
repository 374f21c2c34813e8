import { celExpressions, type ConditionResult } from '../expressions';
import type { EvaluationResult, ExpressionContext } from '../expressions/expression';

/**
 * The expression language as the decider needs it. Injected rather than
 * called directly so a test can pin it; evaluation must be deterministic
 * (same source and context, same answer) or replay would not hold.
 */
export interface ExpressionEvaluator {
  evaluate(source: string, context: ExpressionContext): EvaluationResult;
  evaluateCondition(source: string, context: ExpressionContext): ConditionResult;
}

export interface RunDeciderDeps {
  readonly expressions: ExpressionEvaluator;
}

/** CEL, as the engine runs it. */
export const defaultRunDeps: RunDeciderDeps = { expressions: celExpressions };
