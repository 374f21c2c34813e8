import type { SelExpr } from './sel-ast';
import { parseSel } from './sel-parser';

/**
 * The names an SEL expression may read as params: bare names and
 * `params.get('x')` / `params['x']` arguments. Unparseable SEL reads nothing
 * known (it is reported where it is translated).
 */
export function selReferences(source: string): Set<string> {
  const names = new Set<string>();
  const parsed = parseSel(source);
  if (parsed.ok) collect(parsed.expr, names);
  return names;
}

/** The names `${name}` interpolation reads in a string value. */
export function interpolationReferences(text: string): Set<string> {
  return new Set([...text.replace(/\$\$/g, '').matchAll(/\$\{\s*([^}]+?)\s*\}/g)].map((m) => m[1]));
}

function collect(node: SelExpr, into: Set<string>): void {
  switch (node.kind) {
    case 'literal':
      return;
    case 'ident':
      into.add(node.name);
      return;
    case 'member':
      if (node.object.kind === 'ident' && node.object.name === 'params') into.add(node.name);
      else collect(node.object, into);
      return;
    case 'index':
      if (node.index.kind === 'literal' && typeof node.index.value === 'string') into.add(node.index.value);
      collect(node.object, into);
      collect(node.index, into);
      return;
    case 'call':
      if (node.target?.kind === 'ident' && node.target.name === 'params' && node.name === 'get') {
        const [arg] = node.args;
        if (arg?.kind === 'literal' && typeof arg.value === 'string') into.add(arg.value);
      } else if (node.target) collect(node.target, into);
      node.args.forEach((arg) => collect(arg, into));
      return;
    case 'unary':
      collect(node.operand, into);
      return;
    case 'binary':
      collect(node.left, into);
      collect(node.right, into);
      return;
    case 'ternary':
      collect(node.test, into);
      collect(node.then, into);
      collect(node.otherwise, into);
      return;
    case 'new':
      node.args.forEach((arg) => collect(arg, into));
      return;
    default: {
      const never: never = node;
      return never;
    }
  }
}
