/**
 * How deep `[` and `{` nest in a JSON (or YAML flow) text, outside string
 * literals: one pass, no recursion, no allocation. Run it before a parser
 * that recurses per level (JSON.parse is fine, but the YAML parser, class-
 * transformer and our own walks are not: 2,500 levels killed the process),
 * so a deep document is refused with a clear message instead. Counting stops
 * as soon as `limit` is passed.
 *
 * @example
 *   if (jsonNesting(body, 64) > 64) return badRequest('nested deeper than 64 levels');
 */
export function jsonNesting(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let quote: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== undefined) {
      if (c === BACKSLASH) i++;
      else if (c === quote) quote = undefined;
    } else if (c === DOUBLE_QUOTE) quote = c;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return max;
}

/** Nesting of lists and maps in a parsed JSON value (a scalar is 0), counted up to `limit` + 1. */
export function valueNesting(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [next, depth] = stack.pop()!;
    if (typeof next !== 'object' || next === null) continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > limit) return max;
    for (const child of Array.isArray(next) ? next : Object.values(next)) stack.push([child, depth + 1]);
  }
  return max;
}

const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
