import {
  type DefinitionError,
  type DefinitionLimits,
  DEFAULT_DEFINITION_LIMITS,
  validateWorkflowDocument,
} from '@baton/definitions';
import { jsonNesting } from '@baton/domain';
import { parseDocument } from 'yaml';
import { convertMaestroDocument } from './convert-workflow';
import { type ImportIssue, isObject } from './report';

export type MaestroImport =
  | {
      readonly ok: true;
      /** The Baton workflow document; `valid` says whether Baton's own validation accepts it. */
      readonly definition: Record<string, unknown>;
      readonly issues: readonly ImportIssue[];
      readonly valid: boolean;
      /** Baton's validation errors of `definition` (a bug of the importer when not empty). */
      readonly errors: readonly DefinitionError[];
    }
  | { readonly ok: false; readonly message: string };

/**
 * Converts a Netflix Maestro workflow definition (JSON or YAML text) into a
 * Baton workflow document, with a report of every construct it could not
 * map (or mapped with a difference), each with its JSON path in the Maestro
 * document, and the result of Baton's own validation. `ok: false` only when
 * the text is not a Maestro workflow at all.
 *
 * @example
 *   const result = importMaestro(readFileSync('sample-wf.json', 'utf8'));
 *   if (result.ok) { console.log(stringify(result.definition)); for (const i of result.issues) console.error(i.path, i.message); }
 */
export function importMaestro(
  text: string,
  limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
): MaestroImport {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return { ok: false, message: `the document is ${bytes} bytes; the limit is ${limits.maxDocumentBytes}` };
  }
  // The parser and the converters recurse per level: a deep document is refused before them.
  // Maestro wraps every step and param value in a map of its own, so it nests twice as deep as Baton's.
  const maxDepth = 2 * limits.maxValueDepth;
  if (jsonNesting(text, maxDepth) > maxDepth)
    return { ok: false, message: `the document nests deeper than ${maxDepth} levels` };
  // YAML 1.2 reads JSON too; duplicate keys are errors in both.
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return { ok: false, message: `not valid JSON or YAML: ${document.errors[0].message.split('\n')[0]}` };
  }
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, message: `cannot read the document: ${(error as Error).message}` };
  }
  if (!isObject(doc))
    return { ok: false, message: 'a Maestro workflow is a map: { properties, workflow: { id, steps } }' };
  if (isObject(doc.Workflow)) {
    return {
      ok: false,
      message:
        "Maestro's YAML DSL (Workflow: ... jobs:) is not supported; import the JSON definition Maestro compiles it to (GET /api/v3/workflows/{id}/versions/latest)",
    };
  }
  const workflow = isObject(doc.workflow) ? doc.workflow : doc;
  if (!Array.isArray(workflow.steps)) {
    return {
      ok: false,
      message: 'not a Maestro workflow: expected { workflow: { id, steps: [...] } } or { id, steps: [...] }',
    };
  }
  const { definition, report } = convertMaestroDocument(doc);
  const validation = validateWorkflowDocument(definition, limits);
  return {
    ok: true,
    definition,
    issues: report.issues,
    valid: validation.ok,
    errors: validation.ok ? [] : validation.errors,
  };
}
