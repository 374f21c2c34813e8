import { importMaestro } from '../import-maestro';
import type { ImportIssue } from '../report';

export interface Converted {
  // The specs read deep into the document they assert on; a precise type would only restate it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly definition: Record<string, any>;
  readonly issues: readonly ImportIssue[];
  /** The issue at exactly this path, for assertions. */
  at(path: string): ImportIssue[];
}

/** Imports a Maestro-shaped document (as JSON text) and fails the test if it is not one. */
export function convert(doc: Record<string, unknown>): Converted {
  const result = importMaestro(JSON.stringify(doc));
  if (!result.ok) throw new Error(`not imported: ${result.message}`);
  if (!result.valid) throw new Error(`Baton refuses the import: ${JSON.stringify(result.errors)}`);
  return {
    definition: result.definition,
    issues: result.issues,
    at: (path) => result.issues.filter((issue) => issue.path === path),
  };
}

/** A `{ workflow: { id, steps } }` document around the given steps (and params). */
export function workflowOf(
  steps: unknown[],
  params?: Record<string, unknown>,
  properties?: Record<string, unknown>,
) {
  return {
    ...(properties ? { properties } : {}),
    workflow: { id: 'spec.flow', ...(params ? { params } : {}), steps },
  };
}
