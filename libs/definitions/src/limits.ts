/**
 * Bounds on a workflow document, so one push cannot make the engine or the
 * API slow or large. Defaults are generous; a later issue makes them
 * configurable per deployment, which is why they travel as one object.
 */
export interface DefinitionLimits {
  /** UTF-8 size of the YAML/JSON text. */
  readonly maxDocumentBytes: number;
  readonly maxSteps: number;
  readonly maxParams: number;
  /** Nesting of objects/arrays anywhere in the document (literal values included). */
  readonly maxValueDepth: number;
  /** Characters in one CEL expression (CEL itself refuses more than 4096). */
  readonly maxExpressionLength: number;
  readonly maxEdges: number;
  readonly maxTags: number;
}

export const DEFAULT_DEFINITION_LIMITS: DefinitionLimits = {
  maxDocumentBytes: 1024 * 1024,
  maxSteps: 1000,
  maxParams: 200,
  maxValueDepth: 32,
  maxExpressionLength: 4096,
  maxEdges: 10_000,
  maxTags: 64,
};
