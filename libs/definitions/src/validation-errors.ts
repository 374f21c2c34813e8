import { type ValidationError, getMetadataStorage } from 'class-validator';
import { type DefinitionError, type PathSegment, toJsonPath } from './definition-error';

/**
 * class-validator's error tree → flat `DefinitionError`s with JSON paths.
 * A child of a list carries its index as `property` and the list as
 * `target`; a child of a `Map` (params) carries the key.
 */
export function fromValidationErrors(
  errors: readonly ValidationError[],
  parent: PathSegment[] = [],
): DefinitionError[] {
  const out: DefinitionError[] = [];
  for (const error of errors) {
    const segment: PathSegment = Array.isArray(error.target) ? Number(error.property) : error.property;
    const segments = [...parent, segment];
    const path = toJsonPath(segments);
    for (const [kind, message] of Object.entries(error.constraints ?? {})) {
      out.push({ path, message: kind === 'whitelistValidation' ? unknownField(error) : message });
    }
    out.push(...fromValidationErrors(error.children ?? [], segments));
  }
  return out;
}

function unknownField(error: ValidationError): string {
  const allowed = allowedFields(error.target);
  const suggestion = closest(error.property, allowed);
  return (
    `unknown field '${error.property}'` +
    (suggestion === undefined ? '' : `; did you mean '${suggestion}'?`) +
    (allowed.length > 0 ? ` Allowed here: ${allowed.join(', ')}` : '')
  );
}

function allowedFields(target: object | undefined): string[] {
  if (target === undefined) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** The allowed name within edit distance 2 of a typo, if any. */
function closest(typo: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(typo.toLowerCase(), name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
