import { isCelError, isCelList, isCelMap, isCelUint } from '@bufbuild/cel';
import type { JsonValue } from '../shared/json';

/** A CEL value converted to JSON, or why it cannot be. */
export type JsonConversion =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string };

/** How big a converted value may be: its JSON text in bytes (about), and its nesting. */
export interface JsonBounds {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

const UNBOUNDED: JsonBounds = { maxBytes: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY };

/**
 * CEL values to plain JSON, within `bounds`: a lazy list of lists can stand
 * for far more JSON than it holds in memory (`params.big.map(x, params.big)`),
 * so the conversion counts as it goes and stops at the first byte over. Ints (bigint) become numbers when they are safe
 * integers and decimal strings otherwise, so no precision is silently lost;
 * maps need string keys; NaN, infinities, bytes, timestamps, durations and
 * types have no JSON form and are errors (convert with `string(...)`).
 */
export function toJson(value: unknown, bounds: JsonBounds = UNBOUNDED): JsonConversion {
  return convert(value, 'result', { bounds, bytes: 0 }, 1);
}

interface Tally {
  readonly bounds: JsonBounds;
  bytes: number;
}

function convert(value: unknown, path: string, tally: Tally, depth: number): JsonConversion {
  if (depth > tally.bounds.maxDepth) {
    return { ok: false, message: `${path} nests deeper than ${tally.bounds.maxDepth} levels` };
  }
  tally.bytes += typeof value === 'string' ? value.length + 2 : 8;
  if (tally.bytes > tally.bounds.maxBytes) {
    return {
      ok: false,
      message: `result is larger than ${tally.bounds.maxBytes} bytes of JSON (at ${path}); return less`,
    };
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return { ok: true, value };
    case 'number':
      return Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, message: `${path} is ${String(value)}, which JSON cannot represent` };
    case 'bigint':
      return { ok: true, value: bigintToJson(value) };
    case 'object':
      break;
    default:
      return { ok: false, message: `${path} has no JSON form (${typeof value})` };
  }
  if (value === null) return { ok: true, value: null };
  if (isCelUint(value)) return { ok: true, value: bigintToJson(value.value) };
  if (isCelList(value)) {
    const out: JsonValue[] = [];
    let index = 0;
    for (const element of value) {
      const converted = convert(element, `${path}[${index++}]`, tally, depth + 1);
      if (!converted.ok) return converted;
      out.push(converted.value);
    }
    return { ok: true, value: out };
  }
  if (isCelMap(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, element] of value.entries()) {
      if (typeof key !== 'string') {
        return { ok: false, message: `${path} has a ${typeof key} key; JSON objects need string keys` };
      }
      tally.bytes += key.length + 3;
      const converted = convert(element, `${path}.${key}`, tally, depth + 1);
      if (!converted.ok) return converted;
      out[key] = converted.value;
    }
    return { ok: true, value: out };
  }
  if (isCelError(value)) return { ok: false, message: value.message };
  return {
    ok: false,
    message: `${path} is a ${describeCel(value)}, which has no JSON form; convert it, e.g. with string(...)`,
  };
}

function bigintToJson(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

function describeCel(value: object): string {
  if (value instanceof Uint8Array) return 'bytes value';
  const typeName = (value as { desc?: { typeName?: unknown } }).desc?.typeName;
  if (typeName === 'google.protobuf.Timestamp') return 'timestamp';
  if (typeName === 'google.protobuf.Duration') return 'duration';
  return typeof typeName === 'string' ? typeName : 'non-JSON value';
}
