import type { SelExpr } from './sel-ast';
import { type CelFragment, type SelType, Unmappable, asString, wrap } from './sel-scope';
import type { Translator } from './sel-to-cel';

type Call = Extract<SelExpr, { kind: 'call' }>;

/**
 * Calls with a direct CEL equivalent: `params.get*` lookups, `Math.min/max/abs`,
 * number parsing, and the common `String`, list and map methods. Everything
 * else (Joda time, `Util.*`, `UUID`, regexes, which are Java's and not RE2's)
 * is reported by its name.
 */
export function translateCall(node: Call, t: Translator): CelFragment {
  const { target, name, args } = node;
  if (target === null)
    throw new Unmappable(`SEL not translated: function ${name}(...) has no CEL equivalent`);
  if (target.kind === 'ident') {
    const statics = own(STATICS, target.name);
    if (target.name === 'params') return paramsCall(name, args, t);
    if (statics) {
      const translate = own(statics, name);
      if (!translate)
        throw new Unmappable(`SEL not translated: ${target.name}.${name}(...) has no CEL equivalent`);
      return translate(args.map((a) => t.expr(a)));
    }
    if (/^[A-Z]/.test(target.name)) {
      throw new Unmappable(`SEL not translated: ${target.name}.${name}(...) has no CEL equivalent`);
    }
  }
  const receiver = t.expr(target);
  const method = own(METHODS, name);
  if (!method) throw new Unmappable(`SEL not translated: method .${name}(...) has no CEL equivalent`);
  return method(
    receiver,
    args.map((a) => t.expr(a)),
  );
}

function paramsCall(name: string, args: readonly SelExpr[], t: Translator): CelFragment {
  const strings = args.map((arg) => {
    if (arg.kind !== 'literal' || (typeof arg.value !== 'string' && typeof arg.value !== 'number')) {
      throw new Unmappable(`SEL not translated: params.${name} with a computed argument`);
    }
    return String(arg.value);
  });
  if (name === 'get' && strings.length === 1) return t.param(strings[0]);
  if (name === 'getFromStep' && strings.length === 2) return t.stepParam(strings[0], strings[1]);
  if (name === 'getFromSignal') return t.signalParam(strings);
  if (name === 'getFromSignalDependency' && strings.length === 2)
    return t.signalDependencyParam(strings[0], strings[1]);
  throw new Unmappable(`SEL not translated: params.${name}(...) has no Baton equivalent`);
}

/** A table entry, never an inherited `Object.prototype` member (`toString`, `constructor`). */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

type Fn = (args: readonly CelFragment[]) => CelFragment;
type Method = (receiver: CelFragment, args: readonly CelFragment[]) => CelFragment;

const atom = (cel: string, type: SelType): CelFragment => ({ cel, type, binding: 8 });

function arity(name: string, args: readonly CelFragment[], count: number): void {
  if (args.length !== count)
    throw new Unmappable(`SEL not translated: ${name} with ${args.length} arguments`);
}

/** CEL has no min/max/abs of its own: the ternary says the same. */
const pick =
  (op: '<' | '>'): Fn =>
  (args) => {
    arity(op === '<' ? 'Math.min' : 'Math.max', args, 2);
    const [a, b] = args;
    const type = a.type === b.type ? a.type : 'double';
    return { cel: `${wrap(a, 5)} ${op} ${wrap(b, 5)} ? ${wrap(a, 1)} : ${wrap(b, 0)}`, type, binding: 0 };
  };

const parseLong: Fn = (args) => {
  arity('parseLong', args, 1);
  return atom(`double(int(${args[0].cel}))`, 'long');
};

const STATICS: Readonly<Record<string, Readonly<Record<string, Fn>>>> = {
  Math: {
    min: pick('<'),
    max: pick('>'),
    abs: (args) => {
      arity('Math.abs', args, 1);
      const [a] = args;
      return { cel: `${wrap(a, 5)} < 0.0 ? -${wrap(a, 7)} : ${wrap(a, 0)}`, type: a.type, binding: 0 };
    },
  },
  Integer: { parseInt: parseLong, valueOf: parseLong },
  Long: { parseLong, valueOf: parseLong },
  Double: {
    parseDouble: (args) => {
      arity('Double.parseDouble', args, 1);
      return atom(`double(${args[0].cel})`, 'double');
    },
  },
  String: {
    valueOf: (args: readonly CelFragment[]) => {
      arity('String.valueOf', args, 1);
      return asString(args[0]);
    },
  },
};

const intArg = (fragment: CelFragment): string =>
  fragment.type === 'string' ? fragment.cel : `int(${fragment.cel})`;

function stringMethod(
  name: string,
  build: (receiver: string, args: readonly CelFragment[]) => CelFragment,
  count: number,
): Method {
  return (receiver, args) => {
    arity(`.${name}()`, args, count);
    if (receiver.type !== 'string') {
      throw new Unmappable(
        `SEL not translated: .${name}() on a value whose type is not known to be a string`,
      );
    }
    return build(wrap(receiver, 8), args);
  };
}

const METHODS: Readonly<Record<string, Method>> = {
  length: stringMethod('length', (r) => atom(`double(size(${r}))`, 'long'), 0),
  isEmpty: (receiver, args) => {
    arity('.isEmpty()', args, 0);
    return { cel: `size(${receiver.cel}) == 0`, type: 'bool', binding: 3 };
  },
  size: (receiver, args) => {
    arity('.size()', args, 0);
    return atom(`double(size(${receiver.cel}))`, 'long');
  },
  toUpperCase: stringMethod('toUpperCase', (r) => atom(`${r}.upperAscii()`, 'string'), 0),
  toLowerCase: stringMethod('toLowerCase', (r) => atom(`${r}.lowerAscii()`, 'string'), 0),
  trim: stringMethod('trim', (r) => atom(`${r}.trim()`, 'string'), 0),
  startsWith: stringMethod('startsWith', (r, [a]) => atom(`${r}.startsWith(${a.cel})`, 'bool'), 1),
  endsWith: stringMethod('endsWith', (r, [a]) => atom(`${r}.endsWith(${a.cel})`, 'bool'), 1),
  indexOf: stringMethod('indexOf', (r, [a]) => atom(`double(${r}.indexOf(${a.cel}))`, 'long'), 1),
  replace: stringMethod('replace', (r, [a, b]) => atom(`${r}.replace(${a.cel}, ${b.cel})`, 'string'), 2),
  substring: (receiver, args) => {
    if (args.length < 1 || args.length > 2)
      throw new Unmappable('SEL not translated: .substring() needs 1 or 2 arguments');
    const build = (r: string): CelFragment =>
      atom(`${r}.substring(${args.map(intArg).join(', ')})`, 'string');
    return stringMethod('substring', build, args.length)(receiver, args);
  },
  contains: (receiver, args) => {
    arity('.contains()', args, 1);
    if (receiver.type === 'string') return atom(`${wrap(receiver, 8)}.contains(${args[0].cel})`, 'bool');
    if (receiver.type === 'list')
      return { cel: `${wrap(args[0], 4)} in ${wrap(receiver, 4)}`, type: 'bool', binding: 4 };
    throw new Unmappable('SEL not translated: .contains() on a value whose type is not known');
  },
  containsKey: (receiver, args) => {
    arity('.containsKey()', args, 1);
    return { cel: `${wrap(args[0], 4)} in ${wrap(receiver, 4)}`, type: 'bool', binding: 4 };
  },
  get: (receiver, args) => {
    arity('.get()', args, 1);
    const key = receiver.type === 'list' ? intArg(args[0]) : args[0].cel;
    return atom(`${wrap(receiver, 8)}[${key}]`, 'unknown');
  },
  equals: (receiver, args) => {
    arity('.equals()', args, 1);
    return { cel: `${wrap(receiver, 3)} == ${wrap(args[0], 4)}`, type: 'bool', binding: 3 };
  },
  toString: (receiver: CelFragment, args: readonly CelFragment[]) => {
    arity('.toString()', args, 0);
    return asString(receiver);
  },
};
