import type { DefinitionError } from '../definition-error';
import { DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from '../limits';
import type { WorkflowDraft } from '../normalize';
import { DEFAULT_RETRY_POLICY } from '../retry-policy';
import { validateWorkflowDocument } from '../validate-workflow';

/** What every step gets when the document says nothing (spread it into an expected step). */
export const STEP_DEFAULTS = {
  params: {},
  retry: DEFAULT_RETRY_POLICY,
  failureMode: 'fail_immediately',
  outputs: {},
  pool: 'default',
} as const;

/** The normalized definition of a document that must be valid; fails the test with its errors otherwise. */
export function accepted(doc: unknown, limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS): WorkflowDraft {
  const result = validateWorkflowDocument(doc, limits);
  if (!result.ok) throw new Error(`expected a valid document, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.definition;
}

/** The errors of a document that must be refused. */
export function refused(
  doc: unknown,
  limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
): readonly DefinitionError[] {
  const result = validateWorkflowDocument(doc, limits);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors;
}

/** The distinct paths of a refused document's errors, in report order. */
export function refusedPaths(doc: unknown, limits?: DefinitionLimits): string[] {
  return [...new Set(refused(doc, limits).map((error) => error.path))];
}
