import type { parse } from '@bufbuild/cel';

/** The standard `cel.expr.Expr` tree, as `@bufbuild/cel` parses it. */
export type Expr = ReturnType<typeof parse>['expr'];

/**
 * Structural facts about a parsed CEL expression, gathered in one walk over
 * the standard `cel.expr.Expr` tree: its size (for limits) and which context
 * roots and params it reads (for validation of definitions).
 */
export interface ExpressionShape {
  readonly nodes: number;
  readonly depth: number;
  /** Deepest nesting of comprehensions (`all`, `exists`, `map`, `filter`...). */
  readonly comprehensionDepth: number;
  /** Free identifiers, e.g. `params`, `steps`, or a typo such as `parms`. */
  readonly roots: ReadonlySet<string>;
  /** Names read as `params.x` or `params['x']` (including inside `has()`). */
  readonly paramRefs: ReadonlySet<string>;
  /** Step ids read as `steps.x` or `steps['x']`. */
  readonly stepRefs: ReadonlySet<string>;
}

interface Walk {
  nodes: number;
  depth: number;
  comprehensionDepth: number;
  roots: Set<string>;
  paramRefs: Set<string>;
  stepRefs: Set<string>;
}

export function shapeOf(expr: Expr): ExpressionShape {
  const walk: Walk = {
    nodes: 0,
    depth: 0,
    comprehensionDepth: 0,
    roots: new Set(),
    paramRefs: new Set(),
    stepRefs: new Set(),
  };
  visit(expr, walk, new Set(), 1, 0);
  return walk;
}

function visit(expr: Expr, walk: Walk, bound: ReadonlySet<string>, depth: number, loops: number): void {
  walk.nodes += 1;
  walk.depth = Math.max(walk.depth, depth);
  walk.comprehensionDepth = Math.max(walk.comprehensionDepth, loops);
  const next = (child: Expr | undefined, scope = bound, nestedLoops = loops) => {
    if (child !== undefined) visit(child, walk, scope, depth + 1, nestedLoops);
  };
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'constExpr':
    case undefined:
      return;
    case 'identExpr':
      if (!bound.has(kind.value.name)) walk.roots.add(kind.value.name);
      return;
    case 'selectExpr': {
      recordRef(kind.value.operand, kind.value.field, walk, bound);
      next(kind.value.operand);
      return;
    }
    case 'callExpr': {
      const { target, args } = kind.value;
      if (kind.value.function === '_[_]' && args.length === 2) {
        const key = args[1].exprKind;
        if (key.case === 'constExpr' && key.value.constantKind.case === 'stringValue') {
          recordRef(args[0], key.value.constantKind.value, walk, bound);
        }
      }
      next(target);
      for (const arg of args) next(arg);
      return;
    }
    case 'listExpr':
      for (const element of kind.value.elements) next(element);
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') next(entry.keyKind.value);
        next(entry.value);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      next(c.iterRange);
      next(c.accuInit);
      const inner = new Set(bound);
      for (const name of [c.iterVar, c.iterVar2, c.accuVar]) if (name) inner.add(name);
      next(c.loopCondition, inner, loops + 1);
      next(c.loopStep, inner, loops + 1);
      next(c.result, inner, loops);
      return;
    }
    default: {
      const unexpected: never = kind;
      throw new Error(`unknown CEL node ${JSON.stringify(unexpected)}`);
    }
  }
}

function recordRef(operand: Expr | undefined, name: string, walk: Walk, bound: ReadonlySet<string>): void {
  const kind = operand?.exprKind;
  if (kind?.case !== 'identExpr' || bound.has(kind.value.name)) return;
  if (kind.value.name === 'params') walk.paramRefs.add(name);
  if (kind.value.name === 'steps') walk.stepRefs.add(name);
}
