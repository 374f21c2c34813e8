/**
 * One problem in a workflow document: where (a JSON path such as
 * `$.steps[2].retry_policy.backoff`) and what is wrong and how to fix it.
 * `line`/`column` (1-based) are set when the document came from text.
 */
export interface DefinitionError {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['steps', 2, 'id']` → `$.steps[2].id`; keys that are not identifiers use `["a-b"]`. */
export function toJsonPath(segments: readonly PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** `appendPath('$.steps[0].params', 'a-b')` → `$.steps[0].params["a-b"]`. */
export function appendPath(path: string, ...segments: readonly PathSegment[]): string {
  return path + toJsonPath(segments).slice(1);
}

/** Inverse of `toJsonPath`, for locating an error in the source text. */
export function fromJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.slice(1).matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

/** Sorts by path, numbers in index order (`steps[2]` before `steps[10]`), then message; drops duplicates. */
export function sortErrors(errors: readonly DefinitionError[]): DefinitionError[] {
  const seen = new Set<string>();
  const unique = errors.filter((error) => {
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => comparePaths(a.path, b.path) || a.message.localeCompare(b.message));
}

function comparePaths(a: string, b: string): number {
  const left = fromJsonPath(a);
  const right = fromJsonPath(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const [x, y] = [left[i], right[i]];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return left.length - right.length;
}
