import { plainToInstance } from 'class-transformer';
import { checkComputedSettings } from './computed-settings';
import { validateSync } from 'class-validator';
import { type DefinitionError, sortErrors } from './definition-error';
import { checkDocumentLimits } from './document-limits';
import { isPlainObject } from './dto/transforms';
import { WorkflowDto } from './dto/workflow.dto';
import { checkExpressions } from './expression-checks';
import { checkGraph } from './graph-checks';
import { DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from './limits';
import { type WorkflowDraft, normalize } from './normalize';
import { fromValidationErrors } from './validation-errors';

export type ValidationResult =
  | { readonly ok: true; readonly definition: WorkflowDraft }
  | { readonly ok: false; readonly errors: readonly DefinitionError[] };

/**
 * Validates a parsed workflow document (plain JSON, snake_case fields) and
 * normalizes it, or returns every error found, sorted by path.
 *
 * @example
 *   const result = validateWorkflowDocument(JSON.parse(body));
 *   if (!result.ok) return badRequest(result.errors);
 *   registry.push(result.definition);
 */
export function validateWorkflowDocument(
  doc: unknown,
  limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
): ValidationResult {
  if (!isPlainObject(doc)) {
    return {
      ok: false,
      errors: [{ path: '$', message: 'a workflow document must be a map with at least id and steps' }],
    };
  }
  const pre = checkDocumentLimits(doc, limits);
  if (pre.fatal) return { ok: false, errors: sortErrors(pre.errors) };

  const dto = plainToInstance(WorkflowDto, doc);
  const errors: DefinitionError[] = fromValidationErrors(
    validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
  );
  const built = normalize(dto, errors, limits);
  const edges = built.graphs.reduce((sum, graph) => sum + graph.edges.length, 0);
  if (edges > limits.maxEdges) {
    errors.push({
      path: '$.steps',
      message: `${edges} dependencies (loop bodies included); the limit is ${limits.maxEdges}`,
    });
  }
  for (const graph of built.graphs) {
    errors.push(...checkGraph(graph.path, graph.stepIds, graph.edges));
    const stepIds = new Set(graph.stepIds.filter((id): id is string => id !== undefined));
    errors.push(...checkExpressions(graph.sites, { ...graph.names, stepIds }, limits.maxExpressionLength));
  }
  // Needs a sound draft (its expressions parse, its params are typed).
  if (errors.length === 0) errors.push(...checkComputedSettings(built.draft));
  return errors.length === 0
    ? { ok: true, definition: built.draft }
    : { ok: false, errors: sortErrors(errors) };
}
