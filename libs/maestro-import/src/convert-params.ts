import { fitsParamType, type JsonValue, type ParamType } from '@baton/domain';
import { type BatonValue, PARAM_TYPES, convertParamValue, paramType } from './convert-values';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import { interpolationReferences, selReferences } from './sel/sel-references';
import type { KnownParam, SelScope, SelType } from './sel/sel-scope';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_FIELDS = ['value', 'expression', 'type', 'description'];

/** The workflow's params, and their types for the expressions that read them. */
export interface ConvertedParams {
  readonly params: Record<string, JsonObject>;
  readonly types: ReadonlyMap<string, SelType>;
}

/**
 * Workflow params: a literal `value` becomes the default, an SEL `expression`
 * (or an interpolated string) a CEL expression over the params declared
 * before it, as Baton requires. A param whose value cannot be translated
 * is declared without a value (reported): a run may pass one. Not required:
 * Baton refuses triggers that leave a required param without a value.
 */
export function convertWorkflowParams(params: unknown, path: string, report: ImportReport): ConvertedParams {
  const out: Record<string, JsonObject> = {};
  const types = new Map<string, SelType>();
  if (params === undefined) return { params: out, types };
  if (!isObject(params)) {
    report.unmapped(path, 'params must be a map; left out');
    return { params: out, types };
  }
  for (const [name, definition] of byDependencies(params)) {
    const at = child(path, name);
    const type = isObject(definition) ? paramType(definition) : undefined;
    if (!isObject(definition) || !type) {
      report.unmapped(
        at,
        `a param needs a map with one of the types ${Object.keys(PARAM_TYPES).join(', ')}; left out`,
      );
      continue;
    }
    if (!PARAM_NAME.test(name)) {
      report.unmapped(at, `param name '${name}' is not an identifier, which Baton needs; left out`);
      continue;
    }
    report.leftovers(definition, at, PARAM_FIELDS, 'param field');
    const param: JsonObject = { type: type.baton };
    if (typeof definition.description === 'string') param.description = definition.description;
    const converted = convertParamValue(definition, at, { params: types }, report);
    if (!converted.ok) {
      report.changed(
        at,
        'declared without a value: pass it when starting a run until its value is rewritten',
      );
    } else if (isExpression(converted.value)) {
      param.expression = converted.value.expression;
    } else {
      const value = coerce(unwrapLiteral(converted.value), type.baton as ParamType);
      if (fitsParamType(value, type.baton as ParamType)) param.default = value;
      else {
        report.unmapped(
          child(at, 'value'),
          `${JSON.stringify(value)} is not a ${type.baton}; declared without a value`,
        );
      }
    }
    out[name] = param;
    types.set(name, type.sel);
  }
  return { params: out, types };
}

/**
 * Maestro evaluates a param after those it reads, wherever they are written;
 * Baton lets an expression read only params declared before it. Params are
 * ordered so (document order otherwise; a cycle keeps it, and is reported
 * where it cannot be translated).
 */
export function byDependencies(params: JsonObject): [string, unknown][] {
  const reads = new Map<string, Set<string>>();
  for (const [name, definition] of Object.entries(params)) {
    const d = isObject(definition) ? definition : {};
    const names =
      typeof d.expression === 'string'
        ? selReferences(d.expression)
        : typeof d.value === 'string'
          ? interpolationReferences(d.value)
          : new Set<string>();
    reads.set(name, new Set([...names].filter((n) => n !== name && Object.hasOwn(params, n))));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < reads.size) {
    const next = [...reads].find(
      ([name, deps]) => !placed.has(name) && [...deps].every((d) => placed.has(d)),
    );
    // A cycle: the rest in document order.
    const name = next ? next[0] : [...reads.keys()].find((n) => !placed.has(n))!;
    ordered.push(name);
    placed.add(name);
  }
  return ordered.map((name) => [name, params[name]]);
}

/**
 * A step's params as Baton step params (each a literal or an expression);
 * `skip` names those the step's runtime consumed (`sleep_seconds`, `http`...).
 */
export function convertStepParams(
  params: unknown,
  path: string,
  scope: SelScope,
  report: ImportReport,
  skip: readonly string[] = [],
): Record<string, BatonValue> {
  const out: Record<string, BatonValue> = {};
  if (!isObject(params)) return out;
  for (const [name, definition] of Object.entries(params)) {
    if (skip.includes(name)) continue;
    const at = child(path, name);
    if (!isObject(definition)) {
      report.unmapped(at, 'a step param must be a map with value or expression; left out');
      continue;
    }
    if (!PARAM_NAME.test(name)) {
      report.unmapped(at, `param name '${name}' is not an identifier, which Baton needs; left out`);
      continue;
    }
    report.leftovers(definition, at, PARAM_FIELDS, 'param field');
    // A param's own name, inside its expression, is the outer one (a loop's, the workflow's).
    const own = scope.stepParams && new Map([...scope.stepParams].filter(([key]) => key !== name));
    const converted = convertParamValue(definition, at, { ...scope, stepParams: own }, report);
    if (converted.ok) out[name] = converted.value;
  }
  return out;
}

/** What is known of a step's params before any runs: their types and literal values. */
export function knownParams(params: unknown): Map<string, KnownParam> {
  const known = new Map<string, KnownParam>();
  if (!isObject(params)) return known;
  for (const [name, definition] of Object.entries(params)) {
    if (!isObject(definition)) continue;
    const type = paramType(definition)?.sel ?? 'unknown';
    const literal = 'value' in definition && !JSON.stringify(definition.value).includes('${');
    known.set(name, literal ? { type, literal: definition.value as JsonValue } : { type });
  }
  return known;
}

export function isExpression(value: BatonValue): value is { expression: string } {
  return isObject(value) && typeof value.expression === 'string' && Object.keys(value).length === 1;
}

function unwrapLiteral(value: BatonValue): JsonValue {
  return isObject(value) && 'literal' in value && Object.keys(value).length === 1
    ? (value.literal as JsonValue)
    : value;
}

/** Maestro reads numbers and booleans written as text (`"15"`) for LONG, DOUBLE and BOOLEAN params. */
function coerce(value: JsonValue, type: ParamType): JsonValue {
  if (typeof value !== 'string') return value;
  if ((type === 'long' || type === 'double') && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (type === 'boolean' && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === 'true';
  return value;
}
