import type { IntegerRange, LoopParamValue } from '@baton/domain';
import { appendPath } from './definition-error';
import { PARAM_NAME } from './dto/patterns';
import { isPlainObject } from './dto/transforms';
import { type Graph, type NormalizeContext, checkParamBytes } from './normalize-context';
import { toStepValue } from './step-values';

/** What every iteration gets besides its loop params; no loop param may take these names. */
export const LOOP_INDEX = 'loop_index';
export const LOOP_PREVIOUS = 'loop_previous';
const RESERVED = [LOOP_INDEX, LOOP_PREVIOUS];

const RANGE_FIELDS = ['from', 'to', 'step'];

/**
 * A foreach's `loop_params`: each a list (literal, or CEL evaluated when the
 * step becomes ready) or `{ range: { from, to, step? } }`. When every length
 * is known here, their product (the number of iterations) is checked against
 * the limit; an expression's list is checked by the engine when evaluated.
 */
export function normalizeLoopParams(
  raw: unknown,
  path: string,
  graph: Graph,
  ctx: NormalizeContext,
): Record<string, LoopParamValue> {
  const out: Record<string, LoopParamValue> = {};
  // Not a map: the DTO validation said so.
  if (!isPlainObject(raw)) return out;
  const entries = Object.entries(raw);
  if (entries.length === 0) {
    ctx.errors.push({
      path,
      message: 'a foreach step needs at least one loop param, e.g. loop_params: { region: [eu, us] }',
    });
  }
  const lengths: (number | undefined)[] = [];
  for (const [name, value] of entries) {
    const at = appendPath(path, name);
    if (!PARAM_NAME.pattern.test(name)) {
      ctx.errors.push({ path: at, message: `'${name}' is not a valid loop ${PARAM_NAME.what}` });
    } else if (RESERVED.includes(name)) {
      ctx.errors.push({
        path: at,
        message: `'${name}' is reserved: iterations read params.${LOOP_INDEX} (and a while's params.${LOOP_PREVIOUS}); choose another name`,
      });
    } else if (graph.names.params.includes(name)) {
      ctx.errors.push({
        path: at,
        message: `'${name}' is already a param here (of the workflow or of an enclosing loop); an iteration could not tell them apart, so rename the loop param`,
      });
    }
    const { value: normalized, length } = loopParamValue(value, at, graph, ctx);
    out[name] = normalized;
    lengths.push(length);
  }
  const known = lengths.filter((length): length is number => length !== undefined);
  const iterations = known.reduce((product, length) => product * length, 1);
  if (entries.length > 1 && known.length === entries.length && iterations > ctx.limits.maxForeachIterations) {
    ctx.errors.push({
      path,
      message:
        `these loop params make ${iterations} iterations (${known.join(' × ')}); ` +
        `a foreach runs at most ${ctx.limits.maxForeachIterations}`,
    });
  }
  return out;
}

/** The number of integers in a range: `from, from + step, ...` below `to`. */
export function rangeLength({ from, to, step }: IntegerRange): number {
  return to <= from ? 0 : Math.ceil((to - from) / step);
}

function loopParamValue(
  raw: unknown,
  path: string,
  graph: Graph,
  ctx: NormalizeContext,
): { readonly value: LoopParamValue; readonly length?: number } {
  if (isPlainObject(raw) && 'range' in raw) return range(raw, path, ctx);
  const value = toStepValue(raw, path, graph.sites, ctx.errors);
  if ('expression' in value) return { value };
  if (!Array.isArray(value.literal)) {
    ctx.errors.push({
      path,
      message:
        'a loop param must be a list (e.g. [eu, us]), an expression giving a list ' +
        '({ expression: "params.regions" }), or a range ({ range: { from: 0, to: 10 } })',
    });
    return { value };
  }
  checkParamBytes(value.literal, path, ctx);
  return { value, length: checkLength(value.literal.length, path, ctx) };
}

function range(
  raw: Record<string, unknown>,
  path: string,
  ctx: NormalizeContext,
): { readonly value: LoopParamValue; readonly length?: number } {
  const errors = ctx.errors;
  for (const key of Object.keys(raw).filter((key) => key !== 'range')) {
    errors.push({
      path: appendPath(path, key),
      message: `unknown field '${key}'; a range loop param is { range: { from, to, step? } } alone`,
    });
  }
  const at = `${path}.range`;
  const spec = raw.range;
  if (!isPlainObject(spec)) {
    errors.push({
      path: at,
      message: 'range must be a map like { from: 0, to: 10, step: 2 } (to is exclusive)',
    });
    return { value: { range: { from: 0, to: 0, step: 1 } } };
  }
  for (const key of Object.keys(spec).filter((key) => !RANGE_FIELDS.includes(key))) {
    errors.push({
      path: appendPath(at, key),
      message: `unknown field '${key}' in range; allowed: ${RANGE_FIELDS.join(', ')}`,
    });
  }
  const integer = (field: string): number | undefined => {
    const value = spec[field];
    if (value === undefined) {
      if (field !== 'step') errors.push({ path: `${at}.${field}`, message: `a range needs '${field}'` });
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      errors.push({
        path: `${at}.${field}`,
        message: `${field} must be an integer, got ${JSON.stringify(value)}`,
      });
      return undefined;
    }
    return value;
  };
  const from = integer('from');
  const to = integer('to');
  const step = spec.step === undefined ? 1 : integer('step');
  if (step !== undefined && step < 1) {
    errors.push({
      path: `${at}.step`,
      message: 'step must be a positive integer; a range counts up from from to to',
    });
  }
  if (from !== undefined && to !== undefined && to < from) {
    errors.push({
      path: `${at}.to`,
      message: `to (${to}) is below from (${from}); a range counts up, and to is exclusive`,
    });
  }
  const value = { range: { from: from ?? 0, to: to ?? 0, step: step ?? 1 } };
  if (from === undefined || to === undefined || step === undefined || step < 1) return { value };
  return { value, length: checkLength(rangeLength(value.range), at, ctx) };
}

function checkLength(length: number, path: string, ctx: NormalizeContext): number {
  if (length > ctx.limits.maxForeachIterations) {
    ctx.errors.push({
      path,
      message: `${length} values; a foreach runs at most ${ctx.limits.maxForeachIterations} iterations`,
    });
  }
  return length;
}
