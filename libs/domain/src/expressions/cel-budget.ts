import { CelScalar, celMethod, isCelList, isCelMap } from '@bufbuild/cel';
import type { CelEnv, CelResult } from '@bufbuild/cel';
import type { Expr } from './cel-ast';

/**
 * A cost budget for one CEL evaluation, in the spirit of cel-go's runtime
 * cost tracking (`cel.CostLimit`): `@bufbuild/cel` has none, and one
 * expression over big params could otherwise hold the engine for minutes
 * (`params.big.exists(x, params.big.exists(y, ...))` is quadratic).
 *
 * Units, all deterministic functions of the values seen (never of time):
 * - 1 per comprehension iteration (`all`, `exists`, `map`, `filter`...),
 *   counted by a call the compiler wraps around every loop condition;
 * - 1 per function or operator call, plus what it traverses: the deep size
 *   of its list and map arguments (1 per element) and its strings and bytes
 *   at 1 per `CHARS_PER_UNIT` characters, plus the string or list it returns.
 *   List concatenation and `size` are O(1) in `@bufbuild/cel` (lazy lists),
 *   so they charge only for strings;
 * - `replace` is re-implemented in linear time and charges its result before
 *   building it, so `s.replace('a', s)` is refused before it allocates.
 * When the spent units pass the limit the evaluation stops at once (an
 * exception unwinds `@bufbuild/cel`'s evaluator, which turns it into an
 * error), and the result is an error naming the limit: the step fails, the
 * engine carries on. Replaying the same command spends the same units, so a
 * poison command fails the same way on every replay.
 */
export const CHARS_PER_UNIT = 10;

/** The name of the call wrapped around each loop condition; it charges 1 and returns its argument. */
const ITERATION = '__baton_iteration';

export class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(
      `expression exceeded its cost budget of ${limit} units (comprehension iterations, calls, ` +
        `and the sizes of the values they traverse); work on smaller inputs or split the expression`,
    );
  }
}

/** Units spent by one evaluation. */
export class Meter {
  private spent = 0;
  constructor(readonly limit: number) {}

  get units(): number {
    return this.spent;
  }

  charge(units: number): void {
    this.spent += units;
    if (this.spent > this.limit) throw new BudgetExceeded(this.limit);
  }

  /** Units left before the limit; a traversal stops counting there. */
  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }
}

// Evaluation is synchronous and never re-entrant, so the evaluation in
// progress is one module-level slot, set and restored around each call.
let current: Meter | undefined;

/** Runs `evaluate` with `meter` charged by every metered call it makes. */
export function withMeter<T>(meter: Meter, evaluate: () => T): T {
  const previous = current;
  current = meter;
  try {
    return evaluate();
  } finally {
    current = previous;
  }
}

function charge(units: number): void {
  current?.charge(units);
}

/**
 * `env` with every function call metered. The planner reads only `funcs`,
 * `registry` and `namespace`; the rest of the env (its private brand) comes
 * through the prototype.
 */
export function meteredEnv(env: CelEnv): CelEnv {
  const base = env.funcs;
  const groups = new Map<string, ReturnType<typeof base.find>>();
  const find = (name: string) => {
    if (!groups.has(name)) groups.set(name, name === ITERATION ? iterationGroup : metered(base.find(name)));
    return groups.get(name);
  };
  const funcs: CelEnv['funcs'] = Object.create(base, { find: { value: find } });
  return Object.create(env, { funcs: { value: funcs } });
}

type FuncGroup = NonNullable<ReturnType<CelEnv['funcs']['find']>>;

const iterationGroup: FuncGroup = {
  name: ITERATION,
  *[Symbol.iterator]() {},
  call(_id, _target, args) {
    charge(1);
    return args[0];
  },
};

/** O(1) in `@bufbuild/cel` for lists and maps: charge strings only. */
const SHALLOW = new Set(['_+_', 'size']);

function metered(group: FuncGroup | undefined): FuncGroup | undefined {
  if (group === undefined) return undefined;
  const shallow = SHALLOW.has(group.name);
  return {
    name: group.name,
    [Symbol.iterator]: () => group[Symbol.iterator](),
    call(id, target, args) {
      let units = 1 + (target === undefined ? 0 : argUnits(target, shallow));
      for (let i = 0; i < args.length; i++) units += argUnits(args[i], shallow);
      charge(units);
      const result = group.call(id, target, args);
      if (result !== undefined) charge(shallow ? textUnits(result) : resultUnits(result));
      return result;
    },
  };
}

function argUnits(value: unknown, shallow: boolean): number {
  if (typeof value === 'string') return textUnits(value);
  if (typeof value !== 'object' || value === null) return 0;
  return shallow ? textUnits(value) : traversalUnits(value, current?.remaining ?? 0);
}

function textUnits(value: unknown): number {
  if (typeof value === 'string' || value instanceof Uint8Array)
    return Math.ceil(value.length / CHARS_PER_UNIT);
  return 0;
}

function resultUnits(value: CelResult): number {
  if (isCelList(value) || isCelMap(value)) return value.size;
  return textUnits(value);
}

/** Deep size of a list or map (1 per element, strings by length), counted up to `bound` + 1. */
function traversalUnits(value: unknown, bound: number): number {
  if (!isCelList(value) && !isCelMap(value)) return textUnits(value);
  let units = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && units <= bound) {
    const next = stack.pop();
    units += Math.max(1, textUnits(next));
    if (isCelList(next)) for (const element of next) stack.push(element);
    else if (isCelMap(next)) for (const [key, element] of next.entries()) stack.push(key, element);
  }
  return units;
}

/**
 * `s.replace(old, new[, n])` with the same results as `@bufbuild/cel`'s
 * strings extension (the first `n` matches, left to right; by default as many
 * as `s` has characters; an empty `old` puts `new` before `s` that many
 * times), in linear time, charging the result before building it.
 */
function replace(this: string, substring: string, replacement: string, count?: bigint): string {
  const limit = count === undefined ? this.length : Number(count);
  if (limit <= 0) return this;
  if (substring === '') {
    charge(Math.ceil((this.length + replacement.length * limit) / CHARS_PER_UNIT));
    return replacement.repeat(limit) + this;
  }
  const matches: number[] = [];
  for (let at = this.indexOf(substring); at !== -1 && matches.length < limit;) {
    matches.push(at);
    at = this.indexOf(substring, at + substring.length);
  }
  const length = this.length + matches.length * (replacement.length - substring.length);
  charge(Math.ceil(length / CHARS_PER_UNIT));
  const parts: string[] = [];
  let from = 0;
  for (const at of matches) {
    parts.push(this.slice(from, at), replacement);
    from = at + substring.length;
  }
  parts.push(this.slice(from));
  return parts.join('');
}

const { STRING, INT } = CelScalar;

/** Overrides of the strings extension's functions whose cost is not linear in their input. */
export const meteredStrings = [
  celMethod('replace', STRING, [STRING, STRING], STRING, replace),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, replace),
];

/**
 * `expr` with every comprehension's loop condition wrapped in the iteration
 * call, so each iteration charges the meter. Node ids are kept (errors are
 * located in the original tree); the added calls take id 0.
 */
export function withIterationCharges(expr: Expr, template: Expr): Expr {
  const kind = expr.exprKind;
  const map = (child: Expr | undefined) =>
    child === undefined ? undefined : withIterationCharges(child, template);
  switch (kind.case) {
    case 'constExpr':
    case 'identExpr':
    case undefined:
      return expr;
    case 'selectExpr':
      return {
        ...expr,
        exprKind: { case: kind.case, value: { ...kind.value, operand: map(kind.value.operand) } },
      };
    case 'callExpr':
      return {
        ...expr,
        exprKind: {
          case: kind.case,
          value: { ...kind.value, target: map(kind.value.target), args: kind.value.args.map((a) => map(a)!) },
        },
      };
    case 'listExpr':
      return {
        ...expr,
        exprKind: {
          case: kind.case,
          value: { ...kind.value, elements: kind.value.elements.map((e) => map(e)!) },
        },
      };
    case 'structExpr':
      return {
        ...expr,
        exprKind: {
          case: kind.case,
          value: {
            ...kind.value,
            entries: kind.value.entries.map((entry) => ({
              ...entry,
              keyKind:
                entry.keyKind.case === 'mapKey'
                  ? { case: 'mapKey', value: map(entry.keyKind.value)! }
                  : entry.keyKind,
              value: map(entry.value),
            })),
          },
        },
      };
    case 'comprehensionExpr': {
      const c = kind.value;
      const call = template.exprKind;
      if (call.case !== 'callExpr') throw new Error('the iteration template must be a call');
      const condition = map(c.loopCondition);
      const charged: Expr = {
        ...template,
        id: 0n,
        exprKind: { case: 'callExpr', value: { ...call.value, args: condition ? [condition] : [] } },
      };
      return {
        ...expr,
        exprKind: {
          case: kind.case,
          value: {
            ...c,
            iterRange: map(c.iterRange),
            accuInit: map(c.accuInit),
            loopCondition: charged,
            loopStep: map(c.loopStep),
            result: map(c.result),
          },
        },
      };
    }
    default: {
      const unexpected: never = kind;
      throw new Error(`unknown CEL node ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The source of the template `withIterationCharges` copies (parsed once by the caller). */
export const ITERATION_TEMPLATE_SOURCE = `${ITERATION}(true)`;
