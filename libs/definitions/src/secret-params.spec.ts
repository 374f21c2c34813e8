import { parseWorkflowDocument } from './index';

const doc = (params: string, extra = '') => `
id: ops.secret
params:
${params}
steps:
  - id: a
    type: shell
    command: [sh, -c, 'echo ok']
${extra}`;

function errors(text: string): { path: string; message: string }[] {
  const result = parseWorkflowDocument(text);
  return result.ok ? [] : result.errors.map(({ path, message }) => ({ path, message }));
}

describe('secret params', () => {
  it('accepts a secret string, with no default or a reference default', () => {
    const result = parseWorkflowDocument(
      doc(`  token: { type: string, secret: true }
  db_password: { type: string, secret: true, default: 'file:db.pw' }`),
    );
    expect(result).toMatchObject({
      ok: true,
      definition: {
        params: [
          { name: 'token', type: 'string', secret: true },
          { name: 'db_password', type: 'string', secret: true, default: 'file:db.pw' },
        ],
      },
    });
  });

  it('refuses a literal default, an expression and a non-string type, each at its path', () => {
    expect(
      errors(
        doc(`  a: { type: string, secret: true, default: hunter2 }
  b: { type: string, secret: true, expression: "'x'" }
  c: { type: long, secret: true }`),
      ),
    ).toEqual(
      expect.arrayContaining([
        { path: '$.params.a.default', message: expect.stringContaining('must be a reference') },
        { path: '$.params.b.expression', message: expect.stringContaining('cannot have an expression') },
        { path: '$.params.c.secret', message: expect.stringContaining('a secret param is a string') },
      ]),
    );
  });

  it('lets a cron trigger give a secret param a reference only', () => {
    const text = (value: string) =>
      doc(
        '  token: { type: string, secret: true }',
        `triggers:
  cron:
    - schedule: '0 * * * *'
      params: { token: '${value}' }`,
      );
    expect(errors(text('env:API_TOKEN'))).toEqual([]);
    expect(errors(text('hunter2'))).toEqual([
      {
        path: '$.triggers.cron[0].params.token',
        message: expect.stringContaining('only give it a reference'),
      },
    ]);
  });
});
