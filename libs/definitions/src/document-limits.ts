import type { DefinitionError, PathSegment } from './definition-error';
import { toJsonPath } from './definition-error';
import type { DefinitionLimits } from './limits';
import { isPlainObject } from './dto/transforms';

/**
 * Checks run on the raw document before anything else touches it: every
 * value is JSON (a caller may hand us any JS object), nesting is bounded (so
 * later recursive passes are safe), and the counted limits hold. `fatal`
 * means the later passes must not run.
 */
export function checkDocumentLimits(
  doc: Record<string, unknown>,
  limits: DefinitionLimits,
): { readonly errors: DefinitionError[]; readonly fatal: boolean } {
  const errors: DefinitionError[] = [];
  const fatal = !walk(doc, [], 1, limits, errors);
  const count = (value: unknown) =>
    Array.isArray(value) ? value.length : isPlainObject(value) ? Object.keys(value).length : 0;
  // Counting recurses into loop bodies, so only once `walk` found the nesting bounded.
  const steps = fatal ? 0 : countSteps(doc.steps);
  if (steps > limits.maxSteps) {
    errors.push({
      path: '$.steps',
      message: `${steps} steps (loop bodies included); the limit is ${limits.maxSteps}. Split the workflow`,
    });
  }
  if (count(doc.params) > limits.maxParams) {
    errors.push({
      path: '$.params',
      message: `${count(doc.params)} params; the limit is ${limits.maxParams}`,
    });
  }
  if (count(doc.tags) > limits.maxTags) {
    errors.push({ path: '$.tags', message: `${count(doc.tags)} tags; the limit is ${limits.maxTags}` });
  }
  return { errors, fatal: fatal || errors.length > 0 };
}

/** Steps of a list and of every loop body in it. */
function countSteps(steps: unknown): number {
  if (!Array.isArray(steps)) return 0;
  return steps.reduce<number>((sum, step) => sum + 1 + (isPlainObject(step) ? countSteps(step.steps) : 0), 0);
}

function walk(
  value: unknown,
  path: PathSegment[],
  depth: number,
  limits: DefinitionLimits,
  errors: DefinitionError[],
): boolean {
  if (depth > limits.maxValueDepth) {
    errors.push({
      path: toJsonPath(path),
      message: `values nest deeper than ${limits.maxValueDepth} levels`,
    });
    return false;
  }
  if (Array.isArray(value))
    return value.every((item, i) => walk(item, [...path, i], depth + 1, limits, errors));
  if (isPlainObject(value)) {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      errors.push({ path: toJsonPath(path), message: 'not a JSON value' });
      return false;
    }
    return Object.entries(value).every(([key, item]) =>
      walk(item, [...path, key], depth + 1, limits, errors),
    );
  }
  const ok =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!ok)
    errors.push({
      path: toJsonPath(path),
      message: 'not a JSON value (string, number, boolean, null, list or map)',
    });
  return ok;
}
