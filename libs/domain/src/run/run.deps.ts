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

/**
 * Run-time bounds a deployment sets (the definitions check the same bounds
 * where they can be known before a run). A refusal is recorded in an event,
 * so replay never depends on today's limits.
 */
export interface RunLimits {
  /** Iterations of one foreach (the product of its loop params' sizes). */
  readonly maxForeachIterations: number;
  /** How deep child runs may nest (a top-level run is depth 0). */
  readonly maxNestingDepth: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { maxForeachIterations: 100_000, maxNestingDepth: 5 };

export interface RunDeciderDeps {
  readonly expressions: ExpressionEvaluator;
  readonly limits: RunLimits;
}

/** CEL and the default limits, as the engine runs them. */
export const defaultRunDeps: RunDeciderDeps = { expressions: celExpressions, limits: DEFAULT_RUN_LIMITS };
