import { parseSel } from './sel-parser';

describe('parseSel', () => {
  it('binds * before +, + before comparisons, comparisons before && before ||, all left to right', () => {
    const sut = parseSel('a || b && c == d + e * f - g');
    expect(sut).toEqual({
      ok: true,
      expr: {
        kind: 'binary',
        op: '||',
        left: { kind: 'ident', name: 'a' },
        right: {
          kind: 'binary',
          op: '&&',
          left: { kind: 'ident', name: 'b' },
          right: {
            kind: 'binary',
            op: '==',
            left: { kind: 'ident', name: 'c' },
            right: {
              kind: 'binary',
              op: '-',
              left: {
                kind: 'binary',
                op: '+',
                left: { kind: 'ident', name: 'd' },
                right: {
                  kind: 'binary',
                  op: '*',
                  left: { kind: 'ident', name: 'e' },
                  right: { kind: 'ident', name: 'f' },
                },
              },
              right: { kind: 'ident', name: 'g' },
            },
          },
        },
      },
    });
  });

  it('reads `return x;`, calls, member access, indexes, the ternary and literals', () => {
    const sut = parseSel('return params.get(\'n\') > 1L ? m[0] : "no\\n";');
    expect(sut).toEqual({
      ok: true,
      expr: {
        kind: 'ternary',
        test: {
          kind: 'binary',
          op: '>',
          left: {
            kind: 'call',
            target: { kind: 'ident', name: 'params' },
            name: 'get',
            args: [{ kind: 'literal', value: 'n', integer: false }],
          },
          right: { kind: 'literal', value: 1, integer: true },
        },
        then: {
          kind: 'index',
          object: { kind: 'ident', name: 'm' },
          index: { kind: 'literal', value: 0, integer: true },
        },
        otherwise: { kind: 'literal', value: 'no\n', integer: false },
      },
    });
  });

  it('tells integers from doubles, as Java does', () => {
    expect(parseSel('1.5')).toMatchObject({ expr: { value: 1.5, integer: false } });
    expect(parseSel('2d')).toMatchObject({ expr: { value: 2, integer: false } });
    expect(parseSel('20200101')).toMatchObject({ expr: { value: 20200101, integer: true } });
  });

  it.each([
    ['DateTime dt = new DateTime(); dt.toString();', /declarations/],
    ['if (x) return 1; else return 2;', /single expression|declarations|unexpected/],
    ['a; b', /single expression/],
    ['(a + b', /expected '\)'/],
    ["'open", /unterminated string/],
    ['a # b', /unexpected character '#'/],
  ])('refuses %s with a reason', (source, reason) => {
    const sut = parseSel(source);
    expect(sut.ok).toBe(false);
    if (!sut.ok) expect(sut.message).toMatch(reason);
  });
});
