import { type BinaryOp, PRECEDENCE, type SelExpr } from './sel-ast';
import { SelSyntaxError, type SelToken, tokenize } from './sel-lexer';

export type SelParseResult =
  { readonly ok: true; readonly expr: SelExpr } | { readonly ok: false; readonly message: string };

const LITERAL_WORDS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };

/**
 * Parses one SEL expression (`a + 1`, `return a + 1;`) with Java's operator
 * precedence, by recursive descent. Anything else SEL allows (declarations,
 * `if` statements, several statements) is refused with a message: the
 * importer reports such expressions instead of guessing.
 *
 * @example
 *   parseSel("params.get('n') > 0 ? 'yes' : 'no'") // { ok: true, expr: { kind: 'ternary', ... } }
 */
export function parseSel(source: string): SelParseResult {
  try {
    return { ok: true, expr: new Parser(tokenize(source)).program() };
  } catch (error) {
    if (error instanceof SelSyntaxError)
      return { ok: false, message: `${error.message} at offset ${error.at}` };
    throw error;
  }
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly SelToken[]) {}

  program(): SelExpr {
    if (this.isWord('return')) this.position++;
    const expr = this.expression();
    while (this.isPunct(';')) this.position++;
    const next = this.peek();
    if (next.type !== 'end') {
      throw new SelSyntaxError(
        'only a single expression is supported (statements, declarations and blocks are not)',
        next.at,
      );
    }
    return expr;
  }

  private expression(): SelExpr {
    const test = this.binary(1);
    if (!this.isPunct('?')) return test;
    this.position++;
    const then = this.expression();
    this.expect(':');
    const otherwise = this.expression();
    return { kind: 'ternary', test, then, otherwise };
  }

  /** Precedence climbing over the binary operators; all are left-associative. */
  private binary(minimum: number): SelExpr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'punct' || !(token.value in PRECEDENCE)) return left;
      const op = token.value as BinaryOp;
      const precedence = PRECEDENCE[op];
      if (precedence < minimum) return left;
      this.position++;
      const right = this.binary(precedence + 1);
      left = { kind: 'binary', op, left, right };
    }
  }

  private unary(): SelExpr {
    const token = this.peek();
    if (token.type === 'punct' && (token.value === '!' || token.value === '-' || token.value === '+')) {
      this.position++;
      return { kind: 'unary', op: token.value, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: SelExpr): SelExpr {
    let expr = start;
    for (;;) {
      if (this.isPunct('.')) {
        this.position++;
        const name = this.identifier();
        if (this.isPunct('(')) expr = { kind: 'call', target: expr, name, args: this.args() };
        else expr = { kind: 'member', object: expr, name };
      } else if (this.isPunct('[')) {
        this.position++;
        const index = this.expression();
        this.expect(']');
        expr = { kind: 'index', object: expr, index };
      } else {
        return expr;
      }
    }
  }

  private primary(): SelExpr {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'literal', value: token.value, integer: token.integer };
      case 'string':
        return { kind: 'literal', value: token.value, integer: false };
      case 'ident': {
        if (token.value in LITERAL_WORDS)
          return { kind: 'literal', value: LITERAL_WORDS[token.value], integer: false };
        if (token.value === 'new') {
          const className = this.qualifiedName();
          if (!this.isPunct('('))
            throw new SelSyntaxError(`only constructor calls are supported after new ${className}`, token.at);
          return { kind: 'new', className, args: this.args() };
        }
        if (this.isPunct('(')) return { kind: 'call', target: null, name: token.value, args: this.args() };
        if (this.peek().type === 'ident') {
          throw new SelSyntaxError(`declarations (${token.value} ...) are not supported`, token.at);
        }
        return { kind: 'ident', name: token.value };
      }
      case 'punct':
        if (token.value === '(') {
          const inner = this.expression();
          this.expect(')');
          return inner;
        }
        throw new SelSyntaxError(`unexpected '${token.value}'`, token.at);
      case 'end':
        throw new SelSyntaxError('unexpected end of expression', token.at);
      default: {
        const never: never = token;
        return never;
      }
    }
  }

  private args(): SelExpr[] {
    this.expect('(');
    const args: SelExpr[] = [];
    if (this.isPunct(')')) {
      this.position++;
      return args;
    }
    for (;;) {
      args.push(this.expression());
      if (this.isPunct(')')) {
        this.position++;
        return args;
      }
      this.expect(',');
    }
  }

  private qualifiedName(): string {
    let name = this.identifier();
    while (this.isPunct('.')) {
      this.position++;
      name += `.${this.identifier()}`;
    }
    return name;
  }

  private identifier(): string {
    const token = this.next();
    if (token.type !== 'ident') throw new SelSyntaxError('expected a name', token.at);
    return token.value;
  }

  private expect(punct: string): void {
    const token = this.next();
    if (token.type !== 'punct' || token.value !== punct) {
      throw new SelSyntaxError(`expected '${punct}'`, token.at);
    }
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.type === 'punct' && token.value === value;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token.type === 'ident' && token.value === value;
  }

  private peek(): SelToken {
    return this.tokens[this.position];
  }

  private next(): SelToken {
    const token = this.tokens[this.position];
    if (token.type !== 'end') this.position++;
    return token;
  }
}
