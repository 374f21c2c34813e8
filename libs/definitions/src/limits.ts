/**
 * Bounds on a workflow document, so one push cannot make the engine or the
 * API slow or large. They travel as one object so a deployment can set its
 * own (`definitionLimitsFromEnv`); the engine enforces the run-time ones
 * (`maxForeachIterations` of an expression's list, `maxNestingDepth` of child
 * runs through subworkflows) with the same values.
 */
export interface DefinitionLimits {
  /** UTF-8 size of the YAML/JSON text. */
  readonly maxDocumentBytes: number;
  /** Steps in the whole document, loop bodies included. */
  readonly maxSteps: number;
  readonly maxParams: number;
  /** Nesting of objects/arrays anywhere in the document (literal values included). */
  readonly maxValueDepth: number;
  /** Characters in one CEL expression (CEL itself refuses more than 4096). */
  readonly maxExpressionLength: number;
  /** Dependencies in the whole document, loop bodies included. */
  readonly maxEdges: number;
  readonly maxTags: number;
  /** Loop bodies inside loop bodies: a top-level foreach's body is at depth 1. */
  readonly maxNestingDepth: number;
  /** Iterations of one foreach (the product of its loop params' lengths). */
  readonly maxForeachIterations: number;
  /** A foreach's `concurrency`. */
  readonly maxLoopConcurrency: number;
  /** A while's `max_iterations`. */
  readonly maxWhileIterations: number;
  /** UTF-8 size of one literal param value (a param's default, a step's or a trigger's param). */
  readonly maxParamBytes: number;
}

export const DEFAULT_DEFINITION_LIMITS: DefinitionLimits = {
  maxDocumentBytes: 1024 * 1024,
  maxSteps: 1000,
  maxParams: 200,
  maxValueDepth: 32,
  maxExpressionLength: 4096,
  maxEdges: 10_000,
  maxTags: 64,
  maxNestingDepth: 5,
  maxForeachIterations: 100_000,
  maxLoopConcurrency: 1000,
  maxWhileIterations: 10_000,
  maxParamBytes: 64 * 1024,
};
