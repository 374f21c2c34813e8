// Turning a params form's text fields into typed JSON values, with an error
// per field in the API's path format ($.params.<name>), so a client-side and
// a server-side refusal show in the same place.
import type { ParamSpec } from './types';

export type ParamErrors = Record<string, string>;

export function paramPath(name: string): string {
  return `$.params.${name}`;
}

/** The text a field starts with: the default shown as it would be typed. */
export function initialText(param: ParamSpec): string {
  if (param.default === undefined) return '';
  if (param.type === 'string') return String(param.default);
  return JSON.stringify(param.default);
}

/** Parses one field; `undefined` means "leave it to the default or expression". */
export function parseParam(param: ParamSpec, text: string): { value?: unknown; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (param.required && param.default === undefined) return { error: `${param.name} is required` };
    return {};
  }
  switch (param.type) {
    case 'string':
      return { value: text };
    case 'long': {
      const n = Number(trimmed);
      if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(n))
        return { error: 'expected a whole number (long)' };
      return { value: n };
    }
    case 'double': {
      const n = Number(trimmed);
      if (!Number.isFinite(n)) return { error: 'expected a number (double)' };
      return { value: n };
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
      return { error: 'expected true or false' };
    case 'map':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        return { error: `expected JSON (${param.type === 'map' ? 'an object' : 'an array'})` };
      }
      const ok =
        param.type === 'array'
          ? Array.isArray(value)
          : typeof value === 'object' && value !== null && !Array.isArray(value);
      return ok
        ? { value }
        : { error: `expected ${param.type === 'map' ? 'a JSON object' : 'a JSON array'}` };
    }
    default:
      try {
        return { value: JSON.parse(trimmed) };
      } catch {
        return { value: text };
      }
  }
}

/** Every field at once: the params to send, or the errors keyed by param path. */
export function parseParams(
  specs: readonly ParamSpec[],
  texts: Record<string, string>,
): { params: Record<string, unknown>; errors: ParamErrors } {
  const params: Record<string, unknown> = {};
  const errors: ParamErrors = {};
  for (const spec of specs) {
    const result = parseParam(spec, texts[spec.name] ?? '');
    if (result.error) errors[paramPath(spec.name)] = result.error;
    else if (result.value !== undefined) params[spec.name] = result.value;
  }
  return { params, errors };
}
