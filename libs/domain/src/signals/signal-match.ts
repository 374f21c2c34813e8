import type { JsonObject, JsonValue } from '../shared/json';

/**
 * Deep equality of JSON values: objects compare by their keys and values
 * whatever the key order, arrays element by element. Values come from
 * `JSON.parse`, so there is no `undefined`, NaN or cycle to care about.
 */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEquals(item, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]));
}

/**
 * A signal's params satisfy `match` when every entry of `match` is present
 * in the params with an equal value; params `match` does not name are free.
 * An empty `match` accepts every signal of the name.
 *
 * @example
 *   matchesSignal({ table: 'sales' }, { table: 'sales', day: '2026-01-02' }) // true
 *   matchesSignal({ table: 'sales' }, { day: '2026-01-02' })                 // false
 */
export function matchesSignal(match: JsonObject, params: JsonObject): boolean {
  return Object.entries(match).every(
    ([key, expected]) => Object.hasOwn(params, key) && jsonEquals(params[key], expected),
  );
}
