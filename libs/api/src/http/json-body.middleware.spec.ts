import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonBody } from './json-body.middleware';

describe('jsonBody', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const parse = jsonBody(1024, 4);
    server = createServer((req, res) =>
      parse(req, res, () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ body: (req as { body?: unknown }).body ?? null }));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (body: string) => {
    const answer = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: answer.status, body: (await answer.json()) as { body?: unknown; message?: string } };
  };

  it('parses an object and passes an empty or JSON-whitespace body on as no body', async () => {
    expect(await post('{"a":1}')).toEqual({ status: 200, body: { body: { a: 1 } } });
    expect(await post('')).toEqual({ status: 200, body: { body: null } });
    expect(await post(' \t\r\n')).toEqual({ status: 200, body: { body: null } });
  });

  it('refuses what JSON does not call whitespace (a form feed), bad JSON, non-objects and deep nesting', async () => {
    expect((await post('\f')).status).toBe(400);
    expect((await post('{"a":')).status).toBe(400);
    expect((await post('[1]')).body.message).toBe('the body must be a JSON object');
    expect((await post('{"a":{"b":{"c":{"d":{"e":1}}}}}')).body.message).toMatch(/nests deeper than 4/);
  });

  it('answers 413 past the limit', async () => {
    expect((await post(`{"a":"${'x'.repeat(2048)}"}`)).status).toBe(413);
  });
});
