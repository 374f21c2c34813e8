export type { EvaluationResult, ExpressionContext, ExpressionError } from './expression';
export type { ExpressionShape } from './cel-ast';
export {
  analyzeExpression,
  celExpressions,
  checkExpression,
  DEFAULT_EXPRESSION_LIMITS,
  evaluateCondition,
  evaluateExpression,
  EXPRESSION_ROOTS,
  CEL_TYPE_NAMES,
} from './cel-expressions';
export type { AnalysisResult, ConditionResult, ExpressionLimits } from './cel-expressions';
