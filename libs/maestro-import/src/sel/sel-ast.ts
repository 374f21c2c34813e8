/**
 * The subset of SEL (Maestro's Java-like expression language) the importer
 * reads: one expression, optionally written as `return <expr>;`. Statements,
 * declarations and blocks are not part of it; the parser refuses them and the
 * importer reports them.
 */
export type SelExpr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly integer: boolean }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'member'; readonly object: SelExpr; readonly name: string }
  | {
      readonly kind: 'call';
      readonly target: SelExpr | null;
      readonly name: string;
      readonly args: readonly SelExpr[];
    }
  | { readonly kind: 'index'; readonly object: SelExpr; readonly index: SelExpr }
  | { readonly kind: 'unary'; readonly op: '!' | '-' | '+'; readonly operand: SelExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: SelExpr; readonly right: SelExpr }
  | { readonly kind: 'ternary'; readonly test: SelExpr; readonly then: SelExpr; readonly otherwise: SelExpr }
  | { readonly kind: 'new'; readonly className: string; readonly args: readonly SelExpr[] };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** Binding strength of each binary operator, as in Java. */
export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
