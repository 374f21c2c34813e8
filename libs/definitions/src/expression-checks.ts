import { analyzeExpression, CEL_TYPE_NAMES } from '@baton/domain';
import type { DefinitionError } from './definition-error';

/** Where an expression appears decides what it may read. */
export type ExpressionScope = 'param' | 'condition' | 'step' | 'output' | 'trigger' | 'signal-set';

const ROOTS: Readonly<Record<ExpressionScope, readonly string[]>> = {
  // Params are resolved before any step runs: only earlier params and run metadata.
  param: ['params', 'run'],
  condition: ['params', 'steps', 'run'],
  step: ['params', 'steps', 'run', 'step'],
  output: ['params', 'steps', 'run', 'step', 'result'],
  // A signal trigger's params are computed from the signal alone, before any run exists.
  trigger: ['signal'],
  // A trigger on several signals: its condition and params read the set (`signals.<alias>`).
  'signal-set': ['signals'],
};

export interface ExpressionSite {
  readonly path: string;
  readonly source: string;
  readonly scope: ExpressionScope;
  /** For a param's expression: the params it may read (those declared before it). */
  readonly visibleParams?: ReadonlySet<string>;
  /** Params declared for this expression only: a while's condition also reads `loop_index` and `loop_previous`. */
  readonly extraParams?: ReadonlySet<string>;
}

/** What the expressions of one graph (the workflow's steps, or a loop body) can name. */
export interface ExpressionNames {
  /** Every param the graph's steps read: the workflow's, plus the enclosing loops' values. */
  readonly params: readonly string[];
  /** The part of `params` that loops add, named in messages; empty for the workflow's own steps. */
  readonly loopValues: readonly string[];
  readonly stepIds: ReadonlySet<string>;
}

/**
 * Each expression parses within the limits, reads only what its place
 * allows, names only declared params (`params.x`, `params['x']`) and existing
 * steps of its own graph (a loop body is a run of its own and sees only its
 * steps). References through computed keys (`params[name]`) cannot be known
 * here; evaluation reports those.
 */
export function checkExpressions(
  sites: readonly ExpressionSite[],
  names: ExpressionNames,
  maxLength: number,
): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const declared = new Set(names.params);
  const inBody = names.loopValues.length > 0;
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
    // Under a root this place cannot read, a param reference was already reported with the root.
    if (allowed.includes('params')) {
      for (const name of paramRefs) {
        if (!declared.has(name) && !site.extraParams?.has(name)) {
          fail(
            `unknown parameter '${name}'; declare it under params` +
              (inBody ? ` (a loop body also reads ${names.loopValues.join(', ')})` : ''),
          );
        } else if (site.visibleParams !== undefined && !site.visibleParams.has(name)) {
          fail(
            `params.${name} is not resolved yet here; a param's expression can read only params declared before it`,
          );
        }
      }
    }
    if (allowed.includes('steps')) {
      for (const id of stepRefs) {
        if (!names.stepIds.has(id))
          fail(`unknown step '${id}' in steps.${id}` + unknownStepHint(id, names.stepIds, inBody));
      }
    }
  }
  return errors;
}

/** A dotted id such as `job.1` is not a CEL field name: `steps.job.1` reads step `job`. */
function unknownStepHint(id: string, stepIds: ReadonlySet<string>, inBody: boolean): string {
  const dotted = [...stepIds].find((stepId) => stepId.startsWith(`${id}.`));
  if (dotted !== undefined) return `; for step '${dotted}' write steps['${dotted}']`;
  return inBody ? '; a loop body reads only its own steps' : '';
}
