import { checkExpression } from '@baton/domain';
import { type BinaryOp, PRECEDENCE, type SelExpr } from './sel-ast';
import { parseSel } from './sel-parser';
import {
  type CelFragment,
  type KnownParam,
  type SelScope,
  type SelType,
  Unmappable,
  celDouble,
  celLiteral,
  celString,
  paramRef,
  asString,
  wrap,
} from './sel-scope';
import { translateCall } from './sel-functions';

export type CelTranslation =
  | { readonly ok: true; readonly cel: string; readonly type: SelType; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Translates one SEL expression into CEL over Baton's context, or says why
 * it cannot. Only constructs with a direct CEL meaning are translated:
 * arithmetic, comparisons, logic, string concatenation (non-strings through
 * `string()`), the ternary, param references, and the functions of
 * `sel-functions.ts`. Numbers become CEL doubles, as Baton reads JSON
 * numbers; Java's integer `/` and `%` on longs go through `int()`.
 * `notes` say what was translated with a change worth a look (a step param
 * inlined as its literal value).
 *
 * @example
 *   translateSel("params.get('n') + 1", { params: new Map([['n', 'long']]) })
 *   // { ok: true, cel: 'params.n + 1.0', type: 'long', notes: [] }
 */
export function translateSel(source: string, scope: SelScope): CelTranslation {
  const parsed = parseSel(source);
  if (!parsed.ok) return { ok: false, reason: `SEL not translated (${parsed.message})` };
  const notes: string[] = [];
  try {
    const fragment = new Translator(scope, notes).expr(parsed.expr);
    const invalid = checkExpression(fragment.cel);
    // A translation CEL refuses is a bug here; reported, never emitted.
    if (invalid) return { ok: false, reason: `translated CEL is invalid (${invalid.message})` };
    return { ok: true, cel: fragment.cel, type: fragment.type, notes };
  } catch (error) {
    if (error instanceof Unmappable) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Maestro's reserved params with a Baton equivalent; the others are reported by name. */
const RESERVED: Readonly<Record<string, CelFragment>> = {
  WORKFLOW_ID: { cel: 'run.workflow_id', type: 'string', binding: 8 },
};

export class Translator {
  constructor(
    private readonly scope: SelScope,
    private readonly notes: string[],
  ) {}

  expr(node: SelExpr): CelFragment {
    switch (node.kind) {
      case 'literal':
        if (typeof node.value === 'number') {
          return { cel: celDouble(node.value), type: node.integer ? 'long' : 'double', binding: 8 };
        }
        return node.value === null ? { cel: 'null', type: 'unknown', binding: 8 } : celLiteral(node.value);
      case 'ident':
        return this.name(node.name);
      case 'member':
        if (node.object.kind === 'ident' && node.object.name === 'params') return this.param(node.name);
        throw new Unmappable(`SEL not translated: field access .${node.name} has no CEL equivalent here`);
      case 'index':
        return this.index(node.object, node.index);
      case 'call':
        return translateCall(node, this);
      case 'unary':
        return this.unary(node.op, this.expr(node.operand));
      case 'binary':
        return this.binary(node.op, this.expr(node.left), this.expr(node.right));
      case 'ternary': {
        const test = this.expr(node.test);
        const then = this.expr(node.then);
        const otherwise = this.expr(node.otherwise);
        const type = then.type === otherwise.type ? then.type : 'unknown';
        return {
          cel: `${wrap(test, 1)} ? ${wrap(then, 1)} : ${wrap(otherwise, 0)}`,
          type,
          binding: 0,
        };
      }
      case 'new':
        throw new Unmappable(
          `SEL not translated: new ${node.className}(...) (Java objects have no CEL equivalent)`,
        );
      default: {
        const never: never = node;
        return never;
      }
    }
  }

  /** A bare name: the step's own param, a workflow or loop param, `step__param`, or a reserved param. */
  name(name: string): CelFragment {
    const own = this.scope.stepParams?.get(name);
    if (own) return this.inline(own, `the step's param '${name}'`);
    if (this.scope.params.has(name)) return this.param(name);
    if (Object.hasOwn(RESERVED, name)) return RESERVED[name];
    const stepRef = /^(.+?)__(.+)$/.exec(name);
    if (stepRef) return this.stepParam(stepRef[1], stepRef[2]);
    if (/^[A-Z][A-Z0-9_]*$/.test(name)) {
      throw new Unmappable(`SEL not translated: Maestro's reserved param ${name} has no Baton equivalent`);
    }
    throw new Unmappable(`SEL not translated: '${name}' is not a param declared here`);
  }

  param(name: string): CelFragment {
    const type = this.scope.params.get(name);
    if (type === undefined) {
      const own = this.scope.stepParams?.get(name);
      if (own) return this.inline(own, `the step's param '${name}'`);
      throw new Unmappable(`SEL not translated: params.get('${name}') names no param declared here`);
    }
    return { cel: paramRef(name), type, binding: 8 };
  }

  stepParam(stepId: string, name: string): CelFragment {
    const known = this.scope.otherStepParam?.(stepId, name);
    if (!known) {
      throw new Unmappable(`SEL not translated: step '${stepId}' has no param '${name}' known at import`);
    }
    return this.inline(known, `param '${name}' of step '${stepId}'`);
  }

  /**
   * Baton expressions cannot read step params (only outputs), so a literal
   * step param is written in place, and said so.
   */
  private inline(param: KnownParam, what: string): CelFragment {
    if (param.cel !== undefined) return { cel: param.cel, type: param.type, binding: 0 };
    if (param.literal === undefined) {
      throw new Unmappable(
        `SEL not translated: reads ${what}, which is computed; Baton expressions cannot read step params`,
      );
    }
    this.notes.push(`${what} was inlined as its literal value ${JSON.stringify(param.literal)}`);
    return { ...celLiteral(param.literal), type: param.type };
  }

  /**
   * `params.getFromSignal(name, param)`, or `(param)` in a trigger on one
   * signal: only a signal trigger's params and condition can read its signals.
   */
  signalParam(args: readonly string[]): CelFragment {
    const signals = this.scope.triggerSignals;
    const only = signals?.size === 1 ? [...signals.values()][0] : undefined;
    const [prefix, name] =
      args.length === 1 ? [only, args[0]] : args.length === 2 ? [signals?.get(args[0]), args[1]] : [];
    if (signals === undefined) {
      throw new Unmappable(
        "SEL not translated: params.getFromSignal reads the signal that started the run; Baton steps cannot, pass it through the signal trigger's params",
      );
    }
    if (prefix === undefined || name === undefined) {
      throw new Unmappable(
        `SEL not translated: params.getFromSignal(${args.map((a) => `'${a}'`).join(', ')}) names no signal of this trigger`,
      );
    }
    return { cel: `${prefix}${fieldRef(name)}`, type: 'unknown', binding: 8 };
  }

  /** `params.getFromSignalDependency(i, name)`: the i-th signal dependency became a wait_for_signal step. */
  signalDependencyParam(index: string, name: string): CelFragment {
    const ref = this.scope.signalDependency?.(index);
    if (!ref) throw new Unmappable(`SEL not translated: the step has no signal dependency ${index}`);
    return { cel: `${ref}${fieldRef(name)}`, type: 'unknown', binding: 8 };
  }

  private index(object: SelExpr, index: SelExpr): CelFragment {
    if (
      object.kind === 'ident' &&
      object.name === 'params' &&
      index.kind === 'literal' &&
      typeof index.value === 'string'
    ) {
      return this.param(index.value);
    }
    const target = this.expr(object);
    const key = this.expr(index);
    const keyCel = key.type === 'long' ? `int(${key.cel})` : key.cel;
    return { cel: `${wrap(target, 8)}[${keyCel}]`, type: 'unknown', binding: 8 };
  }

  private unary(op: '!' | '-' | '+', operand: CelFragment): CelFragment {
    if (op === '+') return operand;
    return { cel: `${op}${wrap(operand, 7)}`, type: op === '!' ? 'bool' : operand.type, binding: 7 };
  }

  binary(op: BinaryOp, left: CelFragment, right: CelFragment): CelFragment {
    const binding = PRECEDENCE[op];
    const join = (l: CelFragment, r: CelFragment, type: SelType): CelFragment => ({
      cel: `${wrap(l, binding)} ${op} ${wrap(r, binding + 1)}`,
      type,
      binding,
    });
    switch (op) {
      case '||':
      case '&&':
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return join(left, right, 'bool');
      case '+':
        // Java concatenates as soon as one side is a string.
        if (left.type === 'string' || right.type === 'string')
          return join(asString(left), asString(right), 'string');
        return join(left, right, numeric(left, right));
      case '-':
      case '*':
        return join(left, right, numeric(left, right));
      case '/':
      case '%': {
        const type = numeric(left, right);
        if (type === 'long') {
          // Java divides longs as integers; Baton's numbers are doubles.
          return { cel: `double(int(${left.cel}) ${op} int(${right.cel}))`, type: 'long', binding: 8 };
        }
        if (op === '%') throw new Unmappable('SEL not translated: % on non-integers has no CEL equivalent');
        return join(left, right, type);
      }
      default: {
        const never: never = op;
        return never;
      }
    }
  }
}

/** `.x`, or `['x-y']` for a key CEL cannot spell. */
export function fieldRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${celString(name)}]`;
}

function numeric(left: CelFragment, right: CelFragment): SelType {
  if (left.type === 'long' && right.type === 'long') return 'long';
  if (
    (left.type === 'long' || left.type === 'double') &&
    (right.type === 'long' || right.type === 'double')
  ) {
    return 'double';
  }
  return 'unknown';
}
