/**
 * CEL for Baton, on `@bufbuild/cel` (cel-es, Apache-2.0).
 *
 * Why this library rather than `@marcbachmann/cel-js` (both were tried):
 * - it ships CommonJS, so it loads in our CommonJS build and under Jest on
 *   Node 20 with no config change; cel-js 8 is ESM-only and Jest refuses it;
 * - it follows the spec more closely (it runs the cel-spec conformance suite):
 *   `double(1) == 1` is true and mixed ternaries work, where cel-js errors;
 * - `matches()` uses RE2 (linear time), so a user regex cannot hang the engine;
 * - it exposes the standard `cel.expr.Expr` AST, which validation walks to find
 *   undeclared params and to enforce size limits.
 * The price is speed. Micro-benchmark, Node 20, 2 cores, condition
 * `params.mode == 'full' && steps.extract.outputs.rows > 100`: about 3 µs per
 * evaluation against about 0.25 µs for cel-js, and about 32 µs (vs 0.9 µs) to
 * parse and plan, which the cache below pays once per source. Through this
 * adapter it measures 4-7 µs (see cel-expressions.bench.spec.ts): still well
 * over 100k conditions per second per core, far more than the engine needs.
 * The library has no cost limits of its own, so this file bounds the source
 * length, bracket nesting, AST size and depth, and comprehension nesting when
 * it compiles, and every evaluation by a cost budget (`cel-budget.ts`) and
 * the size and depth of its result.
 *
 * Numbers: JSON numbers arrive as CEL `double` (CEL's own JSON convention), so
 * `params.n + 1` is a type error; write `params.n + 1.0` or `int(params.n) + 1`.
 * Comparisons mix freely (`steps.a.outputs.rows > 100` is fine).
 *
 * Determinism: evaluation reads only the context given; the std library has no
 * clock or randomness. One caveat: timestamp getters without a time zone
 * argument (`t.getHours()`) go through the host's local time and can differ in
 * a DST gap, so run the engine with TZ=UTC or pass `'UTC'` explicitly.
 */
import { celEnv, isCelError, parse, plan, unparse } from '@bufbuild/cel';
import type { CelInput, CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { JsonValue } from '../shared/json';
import { type Expr, type ExpressionShape, shapeOf } from './cel-ast';
import {
  BudgetExceeded,
  ITERATION_TEMPLATE_SOURCE,
  Meter,
  meteredEnv,
  meteredStrings,
  withIterationCharges,
  withMeter,
} from './cel-budget';
import { toJson } from './cel-json';
import { timestampOverrides } from './cel-timestamps';
import type { SignalExpressionContext, SignalSetExpressionContext } from '../signals/signal-triggers';
import type { EvaluationResult, ExpressionContext, ExpressionError } from './expression';

/** Bounds on one expression, checked when it is compiled. */
export interface ExpressionLimits {
  readonly maxSourceLength: number;
  readonly maxNesting: number;
  readonly maxAstNodes: number;
  readonly maxAstDepth: number;
  readonly maxComprehensionDepth: number;
  /** Cost units one evaluation may spend (`cel-budget.ts` says what costs what). */
  readonly maxCost: number;
  /** About the size of a result's JSON text, in bytes. */
  readonly maxResultBytes: number;
  /** Nesting of lists and maps in a result. */
  readonly maxResultDepth: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  maxSourceLength: 4096,
  // The parser recurses per bracket level and overflows the stack near 1000.
  maxNesting: 32,
  maxAstNodes: 1000,
  maxAstDepth: 64,
  // A comprehension inside a comprehension is quadratic in list size; two levels is plenty.
  maxComprehensionDepth: 2,
  // About 0.2 s of evaluation on one core at worst (see cel-budget.spec.ts);
  // a filter or map over 100k items spends about 300k.
  maxCost: 1_000_000,
  // A foreach over 100k items from an expression still fits; a run's state does not balloon.
  maxResultBytes: 1024 * 1024,
  maxResultDepth: 32,
};

/** The variables an expression may read (see `ExpressionContext`). */
export const EXPRESSION_ROOTS: readonly string[] = [
  'params',
  'steps',
  'run',
  'step',
  'result',
  'signal',
  'signals',
];

/** CEL type names are identifiers too (`type(x) == string`), never variables. */
export const CEL_TYPE_NAMES: ReadonlySet<string> = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
]);

export type ConditionResult =
  { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly error: ExpressionError };

export type AnalysisResult =
  | { readonly ok: true; readonly shape: ExpressionShape }
  | { readonly ok: false; readonly error: ExpressionError };

interface Compiled {
  readonly expr: Expr;
  readonly shape: ExpressionShape;
  readonly program: (bindings: Record<string, CelInput>) => CelResult;
}

// The standard library plus the strings extension (trim, split, lowerAscii, replace, format...),
// with every call metered; later functions of the same signature replace earlier ones
// (`timestamp(int)` reads seconds, as the spec says: see cel-timestamps.ts).
const env = meteredEnv(celEnv({ funcs: [...strings, ...meteredStrings, ...timestampOverrides] }));
const iterationTemplate = parse(ITERATION_TEMPLATE_SOURCE).expr;
const CACHE_CAPACITY = 1024;
// Compilation is a pure function of the source, so errors are cached too.
const cache = new Map<string, Compiled | ExpressionError>();

/** Parses and bounds-checks `source`; undefined when it is a valid expression. */
export function checkExpression(source: string): ExpressionError | undefined {
  const compiled = compile(source);
  return 'message' in compiled ? compiled : undefined;
}

/** Like `checkExpression`, and also says what the expression reads (params, steps, roots). */
export function analyzeExpression(source: string): AnalysisResult {
  const compiled = compile(source);
  return 'message' in compiled ? { ok: false, error: compiled } : { ok: true, shape: compiled.shape };
}

/** Evaluates `source` over `context` to plain JSON; never throws. */
export function evaluateExpression(
  source: string,
  context: ExpressionContext | SignalExpressionContext | SignalSetExpressionContext,
): EvaluationResult {
  const compiled = compile(source);
  if ('message' in compiled) return { ok: false, error: compiled };
  const limits = DEFAULT_EXPRESSION_LIMITS;
  const meter = new Meter(limits.maxCost);
  let result: CelResult;
  try {
    result = withMeter(meter, () => compiled.program(bindings(context)));
  } catch (thrown) {
    return fail(source, `evaluation failed: ${(thrown as Error).message}`);
  }
  // Checked first: an exhausted budget may surface as any error, or be absorbed by `||`.
  if (meter.units > meter.limit) return fail(source, new BudgetExceeded(meter.limit).message);
  if (isCelError(result)) return fail(source, locate(result.message, result.exprId, compiled.expr));
  const json = toJson(result, { maxBytes: limits.maxResultBytes, maxDepth: limits.maxResultDepth });
  return json.ok ? { ok: true, value: json.value } : fail(source, json.message);
}

/** Evaluates a condition; any result but a boolean is an error. */
export function evaluateCondition(source: string, context: ExpressionContext): ConditionResult {
  const result = evaluateExpression(source, context);
  if (!result.ok) return result;
  if (typeof result.value !== 'boolean') {
    return fail(source, `a condition must be true or false, got ${describe(result.value)}`);
  }
  return { ok: true, value: result.value };
}

/** The evaluator the run decider takes (`ExpressionEvaluator` in `run.deps.ts`). */
export const celExpressions = { evaluate: evaluateExpression, evaluateCondition };

function compile(source: string): Compiled | ExpressionError {
  const cached = cache.get(source);
  if (cached !== undefined) {
    // Re-insert so the Map's insertion order is least-recently-used first.
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const compiled = compileUncached(source, DEFAULT_EXPRESSION_LIMITS);
  if (cache.size >= CACHE_CAPACITY) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

function compileUncached(source: string, limits: ExpressionLimits): Compiled | ExpressionError {
  const error = (message: string): ExpressionError => ({ expression: truncate(source), message });
  if (source.length > limits.maxSourceLength) {
    return error(`expression is ${source.length} characters long; the limit is ${limits.maxSourceLength}`);
  }
  if (source.trim() === '') return error('expression is empty');
  if (bracketNesting(source) > limits.maxNesting) {
    return error(`brackets are nested more than ${limits.maxNesting} deep; simplify the expression`);
  }
  let expr: Expr;
  try {
    expr = parse(source).expr;
  } catch (thrown) {
    return error(syntaxMessage(thrown, source));
  }
  const shape = shapeOf(expr);
  if (shape.nodes > limits.maxAstNodes) {
    return error(`expression has ${shape.nodes} nodes; the limit is ${limits.maxAstNodes}`);
  }
  if (shape.depth > limits.maxAstDepth) {
    return error(`expression nests ${shape.depth} deep; the limit is ${limits.maxAstDepth}`);
  }
  if (shape.comprehensionDepth > limits.maxComprehensionDepth) {
    return error(
      `macros such as map/filter/exists are nested ${shape.comprehensionDepth} deep; the limit is ${limits.maxComprehensionDepth}`,
    );
  }
  const unknown = [...shape.roots].filter(
    (root) => !EXPRESSION_ROOTS.includes(root) && !CEL_TYPE_NAMES.has(root),
  );
  if (unknown.length > 0) {
    return error(`unknown variable '${unknown[0]}'; expressions can read ${EXPRESSION_ROOTS.join(', ')}`);
  }
  try {
    const program = plan(env, withIterationCharges(expr, iterationTemplate)) as Compiled['program'];
    return { expr, shape, program };
  } catch (thrown) {
    return error(`cannot compile: ${(thrown as Error).message}`);
  }
}

function bindings(
  context: ExpressionContext | SignalExpressionContext | SignalSetExpressionContext,
): Record<string, CelInput> {
  const out: Record<string, CelInput> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) out[key] = value as CelInput;
  }
  return out;
}

/** Max depth of ( [ { outside string literals; a cheap guard run before the recursive parser. */
function bracketNesting(source: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return max;
}

function syntaxMessage(thrown: unknown, source: string): string {
  if (thrown instanceof RangeError) return 'expression is too deeply nested to parse';
  const parseError = thrown as {
    rawMessage?: unknown;
    location?: { start?: { line: number; column: number } };
  };
  const start = parseError.location?.start;
  const raw =
    typeof parseError.rawMessage === 'string' ? parseError.rawMessage : String((thrown as Error).message);
  if (start === undefined) return `syntax error: ${raw}`;
  const line = source.split('\n')[start.line - 1] ?? '';
  return `syntax error at line ${start.line}, column ${start.column}: ${raw}\n  ${line}\n  ${' '.repeat(start.column - 1)}^`;
}

/** Names the sub-expression that failed, e.g. "no such key: x (in params.x)". */
function locate(message: string, exprId: bigint | undefined, root: Expr): string {
  if (exprId === undefined) return message;
  const node = findNode(root, exprId);
  if (node === undefined) return message;
  try {
    return `${message} (in ${truncate(unparse(node))})`;
  } catch {
    return message;
  }
}

function findNode(expr: Expr, id: bigint): Expr | undefined {
  if (expr.id === id) return expr;
  const kind = expr.exprKind;
  const children: (Expr | undefined)[] = [];
  switch (kind.case) {
    case 'selectExpr':
      children.push(kind.value.operand);
      break;
    case 'callExpr':
      children.push(kind.value.target, ...kind.value.args);
      break;
    case 'listExpr':
      children.push(...kind.value.elements);
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') children.push(entry.keyKind.value);
        children.push(entry.value);
      }
      break;
    case 'comprehensionExpr': {
      const c = kind.value;
      children.push(c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result);
      break;
    }
    default:
      break;
  }
  for (const child of children) {
    const found = child === undefined ? undefined : findNode(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

function fail(source: string, message: string): { ok: false; error: ExpressionError } {
  return { ok: false, error: { expression: truncate(source), message } };
}

function truncate(source: string): string {
  return source.length > 200 ? `${source.slice(0, 200)}…` : source;
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}
