/** Tokens of the SEL subset; positions are offsets into the source, for messages. */
export type SelToken =
  | { readonly type: 'number'; readonly value: number; readonly integer: boolean; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number }
  | { readonly type: 'ident'; readonly value: string; readonly at: number }
  | { readonly type: 'punct'; readonly value: string; readonly at: number }
  | { readonly type: 'end'; readonly at: number };

export class SelSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'SelSyntaxError';
  }
}

// Longest first, so `<=` is not read as `<` then `=`.
const PUNCTUATION = [
  '||',
  '&&',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ';',
  '=',
];
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/** Splits SEL source into tokens; Java comments and whitespace are skipped. */
export function tokenize(source: string): SelToken[] {
  const tokens: SelToken[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new SelSyntaxError('unterminated comment', i);
      i = end + 2;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^(?:[0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?([lLdDfF])?/.exec(source.slice(i));
      const text = match![0];
      const suffix = match![3]?.toLowerCase();
      const integer = match![1] === undefined && match![2] === undefined && suffix !== 'd' && suffix !== 'f';
      tokens.push({ type: 'number', value: Number(text.replace(/[lLdDfF]$/, '')), integer, at: i });
      i += text.length;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new SelSyntaxError('unterminated string', i);
        const d = source[j];
        if (d === c) break;
        if (d === '\\') {
          const e = source[j + 1];
          value += ESCAPES[e] ?? e;
          j += 2;
        } else {
          value += d;
          j++;
        }
      }
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const text = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))![0];
      tokens.push({ type: 'ident', value: text, at: i });
      i += text.length;
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      if (!punct) throw new SelSyntaxError(`unexpected character '${c}'`, i);
      tokens.push({ type: 'punct', value: punct, at: i });
      i += punct.length;
    }
  }
  tokens.push({ type: 'end', at: source.length });
  return tokens;
}
