import type { JsonValue } from '@baton/domain';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import { type KnownParam, type SelScope, type SelType, asString, celString } from './sel/sel-scope';
import { Translator, translateSel } from './sel/sel-to-cel';
import { Unmappable } from './sel/sel-scope';

/** A Baton value: a literal, or `{ expression }`; `{ literal }` keeps text that looks like `${...}`. */
export type BatonValue = JsonValue;

/** Maestro's param types, coarsened to Baton's. */
export const PARAM_TYPES: Readonly<Record<string, { readonly baton: string; readonly sel: SelType }>> = {
  STRING: { baton: 'string', sel: 'string' },
  LONG: { baton: 'long', sel: 'long' },
  DOUBLE: { baton: 'double', sel: 'double' },
  BOOLEAN: { baton: 'boolean', sel: 'bool' },
  STRING_MAP: { baton: 'map', sel: 'map' },
  MAP: { baton: 'map', sel: 'map' },
  STRING_ARRAY: { baton: 'array', sel: 'list' },
  LONG_ARRAY: { baton: 'array', sel: 'list' },
  DOUBLE_ARRAY: { baton: 'array', sel: 'list' },
  BOOLEAN_ARRAY: { baton: 'array', sel: 'list' },
};

export function paramType(
  definition: JsonObject,
): { readonly baton: string; readonly sel: SelType } | undefined {
  const type = typeof definition.type === 'string' ? definition.type.toUpperCase() : undefined;
  return type !== undefined && Object.hasOwn(PARAM_TYPES, type) ? PARAM_TYPES[type] : undefined;
}

/** A literal Baton keeps as it is: one holding `${` would be read as an expression, so it is wrapped. */
export function literalValue(value: JsonValue): BatonValue {
  return JSON.stringify(value).includes('${') ? { literal: value } : value;
}

export type Converted =
  { readonly ok: true; readonly value: BatonValue; readonly known: KnownParam } | { readonly ok: false };

/**
 * A Maestro param definition (`{ value | expression, type }`) as a Baton
 * value: literals as they are (a MAP param's nested definitions flattened),
 * `${name}` interpolation in strings and SEL expressions as CEL. What cannot
 * be translated is reported at `path` and answers `{ ok: false }`.
 */
export function convertParamValue(
  definition: JsonObject,
  path: string,
  scope: SelScope,
  report: ImportReport,
): Converted {
  const type = paramType(definition)?.sel ?? 'unknown';
  if (typeof definition.expression === 'string') {
    const translated = translateSel(definition.expression, scope);
    if (!translated.ok) {
      report.unmapped(child(path, 'expression'), `${translated.reason}: ${oneLine(definition.expression)}`);
      return { ok: false };
    }
    for (const note of translated.notes) report.changed(child(path, 'expression'), note);
    return { ok: true, value: { expression: translated.cel }, known: { type } };
  }
  if (!('value' in definition)) {
    report.unmapped(path, 'a param without value or expression; left out');
    return { ok: false };
  }
  const literal = flattenLiteral(definition.value, child(path, 'value'), report);
  if (literal === undefined) return { ok: false };
  if (typeof literal === 'string' && /\$\{/.test(literal)) {
    const interpolated = interpolate(literal, scope);
    if (!interpolated.ok) {
      report.unmapped(child(path, 'value'), `${interpolated.reason}: ${oneLine(literal)}`);
      return { ok: false };
    }
    for (const note of interpolated.notes) report.changed(child(path, 'value'), note);
    return { ok: true, value: { expression: interpolated.cel }, known: { type } };
  }
  return { ok: true, value: literalValue(literal), known: { type, literal } };
}

/** A MAP param's value is a map of param definitions; only literal ones flatten. */
function flattenLiteral(value: unknown, path: string, report: ImportReport): JsonValue | undefined {
  if (
    !isObject(value) ||
    !Object.values(value).every((v) => isObject(v) && ('value' in v || 'expression' in v))
  ) {
    return value as JsonValue;
  }
  const out: Record<string, JsonValue> = {};
  for (const [key, nested] of Object.entries(value) as [string, JsonObject][]) {
    if (!('value' in nested)) {
      report.unmapped(child(path, key), 'a computed entry of a MAP param; the map was left out');
      return undefined;
    }
    const flat = flattenLiteral(nested.value, child(child(path, key), 'value'), report);
    if (flat === undefined) return undefined;
    out[key] = flat;
  }
  return out;
}

type Interpolated =
  | { readonly ok: true; readonly cel: string; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Maestro's string interpolation (`'${a}-${b}'`, `$$` for `$`) as a CEL concatenation. */
export function interpolate(text: string, scope: SelScope): Interpolated {
  const notes: string[] = [];
  const translator = new Translator(scope, notes);
  const parts: string[] = [];
  let rest = text;
  let literal = '';
  try {
    while (rest.length > 0) {
      if (rest.startsWith('$$')) {
        literal += '$';
        rest = rest.slice(2);
      } else if (rest.startsWith('${')) {
        const end = rest.indexOf('}');
        if (end === -1) return { ok: false, reason: 'unterminated ${ in a string' };
        if (literal) parts.push(celString(literal));
        literal = '';
        parts.push(asString(translator.name(rest.slice(2, end).trim())).cel);
        rest = rest.slice(end + 1);
      } else {
        literal += rest[0];
        rest = rest.slice(1);
      }
    }
  } catch (error) {
    if (error instanceof Unmappable) return { ok: false, reason: error.message };
    throw error;
  }
  if (literal) parts.push(celString(literal));
  return { ok: true, cel: parts.join(' + '), notes };
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
