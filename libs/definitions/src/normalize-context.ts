import type { JsonValue, StepParamValue } from '@baton/domain';
import { type DefinitionError, appendPath } from './definition-error';
import type { ExpressionNames, ExpressionSite } from './expression-checks';
import type { DeclaredEdge } from './graph-checks';
import type { DefinitionLimits } from './limits';

/**
 * One graph of steps: the workflow's own, or a loop body's (a body runs as a
 * child run, so its step ids, edges and `steps.x` references are its own).
 * Filled while normalizing; checked afterwards as a whole.
 */
export interface Graph {
  /** Where its step list is: `$.steps`, or e.g. `$.steps[2].steps`. */
  readonly path: string;
  /** Loop bodies around it: 0 for the workflow's steps. */
  readonly depth: number;
  /** One per item of the step list, undefined where the item has no usable id. */
  readonly stepIds: (string | undefined)[];
  readonly edges: DeclaredEdge[];
  readonly sites: ExpressionSite[];
  readonly names: Omit<ExpressionNames, 'stepIds'>;
}

export interface NormalizeContext {
  readonly limits: DefinitionLimits;
  readonly errors: DefinitionError[];
  /** Every graph of the document, the workflow's first. */
  readonly graphs: Graph[];
}

/** Literal param values are bounded: runs, events and child runs carry them. */
export function checkParamBytes(value: JsonValue, path: string, ctx: NormalizeContext): void {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > ctx.limits.maxParamBytes) {
    ctx.errors.push({
      path,
      message:
        `this value is ${bytes} bytes; the limit for one param value is ${ctx.limits.maxParamBytes}. ` +
        'Pass a reference to the data (a path or a URL) instead',
    });
  }
}

/** `checkParamBytes` for each literal of a map of values. */
export function checkParamValuesBytes(
  values: Readonly<Record<string, StepParamValue>>,
  path: string,
  ctx: NormalizeContext,
): void {
  for (const [name, value] of Object.entries(values))
    if ('literal' in value) checkParamBytes(value.literal, appendPath(path, name), ctx);
}
