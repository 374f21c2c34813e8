import { closest, distance } from 'fastest-levenshtein';

/**
 * `; did you mean 'region'?` when a known name is a likely typo of `name`
 * (at most a third of its length in edits, rounded up), else ''.
 *
 * @example
 *   didYouMean('regoin', ['region', 'day']); // "; did you mean 'region'?"
 */
export function didYouMean(name: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const best = closest(name, [...known]);
  const edits = distance(name, best);
  return edits <= Math.max(1, Math.ceil(name.length / 3)) ? `; did you mean '${best}'?` : '';
}
