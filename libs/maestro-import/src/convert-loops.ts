import { convertParamValue, oneLine, PARAM_TYPES } from './convert-values';
import { COMMON_FIELDS } from './convert-step-fields';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import type { SelType } from './sel/sel-scope';
import { translateSel } from './sel/sel-to-cel';
import type { StepConverter } from './step-context';

const RESERVED_LOOP_NAMES = ['loop_index', 'loop_previous'];

/** `params.loop_params` is a MAP param whose entries are the loop's params. */
function loopParams(body: JsonObject): JsonObject {
  const params = isObject(body.params) ? body.params : {};
  return isObject(params.loop_params) && isObject(params.loop_params.value) ? params.loop_params.value : {};
}

function otherParams(body: JsonObject, path: string, report: ImportReport): void {
  const params = isObject(body.params) ? body.params : {};
  for (const name of Object.keys(params)) {
    if (name !== 'loop_params') {
      report.unmapped(
        child(child(path, 'params'), name),
        "a loop step's own params cannot be read in its body in Baton today; left out",
      );
    }
  }
}

/**
 * A foreach: each loop param (a literal list, or an SEL expression giving
 * one) iterates; the body reads it as `params.<name>`. A list that cannot be
 * translated becomes `[]` (no iterations), reported.
 */
export const convertForeachStep: StepConverter = (body, path, ctx, scope) => {
  const { report } = ctx;
  report.leftovers(body, path, [...COMMON_FIELDS, 'concurrency', 'strict_ordering', 'steps']);
  otherParams(body, path, report);
  const at = child(child(child(path, 'params'), 'loop_params'), 'value');
  const loop: JsonObject = {};
  const bodyParams = new Map(ctx.params);
  for (const [name, definition] of Object.entries(loopParams(body))) {
    const where = child(at, name);
    if (
      !isObject(definition) ||
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ||
      RESERVED_LOOP_NAMES.includes(name) ||
      ctx.params.has(name)
    ) {
      report.unmapped(
        where,
        `loop param '${name}' must be an identifier Baton's body does not already read; left out`,
      );
      continue;
    }
    const converted = convertParamValue(definition, where, scope, report);
    if (converted.ok) loop[name] = converted.value;
    else {
      loop[name] = [];
      bodyParams.set(name, 'unknown');
      report.changed(where, 'the loop runs no iterations until this list is rewritten');
    }
    bodyParams.set(name, elementType(definition));
  }
  if (Object.keys(loop).length === 0) {
    let name = 'item';
    for (let n = 2; ctx.params.has(name); n++) name = `item_${n}`;
    loop[name] = [];
    bodyParams.set(name, 'unknown');
    report.unmapped(at, 'a foreach without loop params Baton can read; it iterates over an empty list');
  }
  const out: JsonObject = { type: 'foreach', loop_params: loop };
  if (body.strict_ordering === true) out.ordered = true;
  else if (typeof body.concurrency === 'number') out.concurrency = body.concurrency;
  out.steps = ctx.convertBody(body.steps, child(path, 'steps'), bodyParams);
  return out;
};

function elementType(definition: JsonObject): SelType {
  const type = typeof definition.type === 'string' ? definition.type.toUpperCase() : '';
  if (!type.endsWith('_ARRAY')) return 'unknown';
  return Object.hasOwn(PARAM_TYPES, type.slice(0, -6)) ? PARAM_TYPES[type.slice(0, -6)].sel : 'unknown';
}

/**
 * A while loop. Maestro's loop params are variables the body updates between
 * iterations; Baton's while carries `params.loop_index` and
 * `params.loop_previous` (the last iteration's outputs) instead, so a
 * condition over loop params cannot be translated: it becomes `false` (the
 * body does not run), reported with the original.
 */
export const convertWhileStep: StepConverter = (body, path, ctx) => {
  const { report } = ctx;
  report.leftovers(body, path, [...COMMON_FIELDS, 'condition', 'steps']);
  otherParams(body, path, report);
  const names = Object.keys(loopParams(body));
  if (names.length > 0) {
    report.unmapped(
      child(child(child(path, 'params'), 'loop_params'), 'value'),
      `loop params ${names.join(', ')} are variables the body updates; Baton's while reads params.loop_index and params.loop_previous (the last iteration's outputs) instead; left out`,
    );
  }
  let condition = 'false';
  const source = typeof body.condition === 'string' ? body.condition : undefined;
  const translated = source === undefined ? undefined : translateSel(source, { params: ctx.params });
  if (translated?.ok) {
    condition = translated.cel;
    for (const note of translated.notes) report.changed(child(path, 'condition'), note);
  } else {
    const reason = translated ? translated.reason : 'no condition';
    report.unmapped(
      child(path, 'condition'),
      `${reason}: ${oneLine(source ?? '')}; the condition is false (the body does not run) until rewritten`,
    );
  }
  report.changed(path, 'Baton bounds a while loop by max_iterations (100 by default); Maestro has no bound');
  return { type: 'while', condition, steps: ctx.convertBody(body.steps, child(path, 'steps'), ctx.params) };
};
