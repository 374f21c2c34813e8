import type { JsonValue, StepParamValue } from '@baton/domain';
import { type DefinitionError, appendPath } from './definition-error';
import type { NamePattern } from './dto/patterns';
import { isPlainObject } from './dto/transforms';
import type { ExpressionScope, ExpressionSite } from './expression-checks';

/**
 * A value in a step's `params`, `env`, `headers`, `url` or `body`:
 * - `{ expression: "CEL" }` (an object with only that key) is evaluated when
 *   the step becomes ready;
 * - `"${CEL}"` (a whole string starting `${` and ending `}`) is shorthand for it;
 * - `{ literal: value }` passes `value` as is, even a string like "${x}";
 * - anything else is a literal.
 */
export function toStepValue(
  raw: unknown,
  path: string,
  sites: ExpressionSite[],
  errors: DefinitionError[],
  scope: ExpressionScope = 'step',
): StepParamValue {
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 1 && keys[0] === 'expression') {
      if (typeof raw.expression !== 'string') {
        errors.push({ path: `${path}.expression`, message: 'expression must be a CEL string' });
        return { expression: '' };
      }
      sites.push({ path: `${path}.expression`, source: raw.expression, scope });
      return { expression: raw.expression };
    }
    if (keys.length === 1 && keys[0] === 'literal') return { literal: raw.literal as JsonValue };
  }
  if (typeof raw === 'string' && raw.startsWith('${') && raw.endsWith('}')) {
    const source = raw.slice(2, -1).trim();
    sites.push({ path, source, scope });
    return { expression: source };
  }
  flagNestedExpressions(raw, path, errors);
  return { literal: raw as JsonValue };
}

/**
 * Expressions are recognized only as a whole value; one nested inside a
 * literal would silently stay text, so it is an error with a way out.
 */
function flagNestedExpressions(raw: unknown, path: string, errors: DefinitionError[]): void {
  const visit = (value: unknown, at: string, top: boolean): void => {
    if (!top && looksLikeExpression(value)) {
      errors.push({
        path: at,
        message:
          'expressions are evaluated only as a whole value; write the whole value as one expression ' +
          `(e.g. { expression: "{'key': params.x}" }), or wrap it as { literal: ... } to keep this text`,
      });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${at}[${i}]`, false));
    else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, appendPath(at, key), false);
    }
  };
  visit(raw, path, true);
}

/** A value that `toStepValue` would read as an expression. */
export function looksLikeExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('${') && value.endsWith('}');
  return isPlainObject(value) && Object.keys(value).length === 1 && 'expression' in value;
}

/** A map of such values, with names checked against `name`. */
export function toStepValues(
  raw: unknown,
  path: string,
  name: NamePattern,
  sites: ExpressionSite[],
  errors: DefinitionError[],
  scope: ExpressionScope = 'step',
): Record<string, StepParamValue> {
  const out: Record<string, StepParamValue> = {};
  if (!isPlainObject(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const at = appendPath(path, key);
    if (!name.pattern.test(key)) errors.push({ path: at, message: `'${key}' is not a valid ${name.what}` });
    out[key] = toStepValue(value, at, sites, errors, scope);
  }
  return out;
}
