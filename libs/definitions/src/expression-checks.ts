import { analyzeExpression, CEL_TYPE_NAMES } from '@baton/domain';
import type { DefinitionError } from './definition-error';

/** Where an expression appears decides what it may read. */
export type ExpressionScope = 'param' | 'condition' | 'step' | 'output';

const ROOTS: Readonly<Record<ExpressionScope, readonly string[]>> = {
  // Params are resolved before any step runs: only earlier params and run metadata.
  param: ['params', 'run'],
  condition: ['params', 'steps', 'run'],
  step: ['params', 'steps', 'run', 'step'],
  output: ['params', 'steps', 'run', 'step', 'result'],
};

export interface ExpressionSite {
  readonly path: string;
  readonly source: string;
  readonly scope: ExpressionScope;
  /** For a param's expression: the params it may read (those declared before it). */
  readonly visibleParams?: ReadonlySet<string>;
}

/**
 * Each expression parses within the limits, reads only what its place
 * allows, names only declared params (`params.x`, `params['x']`) and existing
 * steps. References through computed keys (`params[name]`) cannot be known
 * here; evaluation reports those.
 */
export function checkExpressions(
  sites: readonly ExpressionSite[],
  params: readonly string[],
  stepIds: ReadonlySet<string>,
  maxLength: number,
): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const declared = new Set(params);
  for (const site of sites) {
    const fail = (message: string) => errors.push({ path: site.path, message });
    if (site.source.length > maxLength) {
      fail(`expression is ${site.source.length} characters long; the limit is ${maxLength}`);
      continue;
    }
    const analysis = analyzeExpression(site.source);
    if (!analysis.ok) {
      fail(analysis.error.message);
      continue;
    }
    const { roots, paramRefs, stepRefs } = analysis.shape;
    const allowed = ROOTS[site.scope];
    for (const root of roots) {
      if (!allowed.includes(root) && !CEL_TYPE_NAMES.has(root)) {
        fail(`'${root}' cannot be used here; this expression can read ${allowed.join(', ')}`);
      }
    }
    for (const name of paramRefs) {
      if (!declared.has(name)) fail(`unknown parameter '${name}'; declare it under params`);
      else if (site.visibleParams !== undefined && !site.visibleParams.has(name)) {
        fail(
          `params.${name} is not resolved yet here; a param's expression can read only params declared before it`,
        );
      }
    }
    for (const id of stepRefs) {
      if (!stepIds.has(id)) fail(`unknown step '${id}' in steps.${id}`);
    }
  }
  return errors;
}
