import { PGliteSqlClient } from './pglite-sql-client';
import { jsonbText, jsonParam } from './sql-client';

describe('jsonb text', () => {
  it('turns the NUL escape into U+FFFD and leaves an escaped backslash before u0000 alone', () => {
    expect(jsonParam({ reason: 'a\u0000b', text: 'lit\\u0000' })).toBe(
      '{"reason":"a\\ufffdb","text":"lit\\\\u0000"}',
    );
    expect(jsonbText('"\\\\\\u0000"')).toBe('"\\\\\\ufffd"');
    expect(jsonbText('{"plain":1}')).toBe('{"plain":1}');
  });

  it('is text a jsonb column takes, where the raw NUL escape is refused', async () => {
    const sql = await PGliteSqlClient.open();
    try {
      const nul = JSON.stringify({ reason: 'a\u0000b' });
      await expect(sql.query('SELECT $1::jsonb AS v', [nul])).rejects.toThrow(/Unicode escape/);
      const rows = await sql.query<{ v: { reason: string } }>('SELECT $1::jsonb AS v', [jsonbText(nul)]);
      expect(rows[0].v).toEqual({ reason: 'a\uFFFDb' });
    } finally {
      await sql.close();
    }
  }, 30_000);
});
