import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRuntime } from './http.runtime';
import type { HttpSpec, HttpTask } from '@baton/contracts';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const routes: Record<string, Route> = {
  '/json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1' });
    res.end(JSON.stringify({ ok: true, rows: [1, 2] }));
  },
  '/text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  },
  '/echo': (req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        method: req.method,
        contentType: req.headers['content-type'] ?? null,
        auth: req.headers.authorization ?? null,
        body,
      }),
    );
  },
  '/fail': (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('database exploded');
  },
  '/created': (_req, res) => {
    res.writeHead(201, { location: '/things/7' });
    res.end();
  },
  '/gone': (_req, res) => {
    res.writeHead(404);
    res.end('not here');
  },
  '/hang': () => {
    // Never answers.
  },
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk)) {
        // keep writing until the socket pushes back
      }
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () =>
      (routes[new URL(req.url ?? '/', 'http://x').pathname] ?? routes['/gone'])(req, res, body),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function httpTask(spec: Partial<HttpSpec> & { url: string }, overrides: Partial<HttpTask> = {}): HttpTask {
  return {
    schemaVersion: 1,
    runId: 'run-1',
    workflowId: 'wf',
    workflowVersion: 1,
    stepId: 'call',
    attempt: 1,
    pool: 'default',
    params: {},
    leaseMs: 30_000,
    type: 'http',
    ...overrides,
    spec: { method: 'GET', headers: {}, ...spec },
  };
}

const never = new AbortController().signal;

describe('HttpRuntime', () => {
  // The test server is on loopback, which the default policy refuses (http-sandbox.spec.ts shows that).
  const sut = new HttpRuntime({ policy: { allow: ['loopback'] } });

  it('succeeds with the status, a few headers and the parsed JSON body', async () => {
    const outcome = await sut.run(httpTask({ url: `${base}/json?token=secret` }), { signal: never });

    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1' },
        body: { ok: true, rows: [1, 2] },
        bodyTruncated: false,
      },
    });
    expect(outcome.logs.stdout.text).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/json -> 200 OK in \d+ ms\n$/);
    expect(outcome.logs.stdout.text).not.toContain('secret');
  });

  it('returns a non-JSON body as text', async () => {
    const outcome = await sut.run(httpTask({ url: `${base}/text` }), { signal: never });

    expect(outcome).toMatchObject({ status: 'succeeded', result: { body: 'hello' } });
  });

  it('JSON-encodes a non-string body and sends a string body as is', async () => {
    const json = await sut.run(
      httpTask({
        method: 'POST',
        url: `${base}/echo`,
        body: { a: 1 },
        headers: { authorization: 'Bearer t' },
      }),
      { signal: never },
    );
    const raw = await sut.run(
      httpTask({
        method: 'PUT',
        url: `${base}/echo`,
        body: 'a=1',
        headers: { 'content-type': 'text/plain' },
      }),
      { signal: never },
    );

    expect(json).toMatchObject({
      result: {
        body: { method: 'POST', contentType: 'application/json', auth: 'Bearer t', body: '{"a":1}' },
      },
    });
    expect(raw).toMatchObject({
      result: { body: { method: 'PUT', contentType: 'text/plain', body: 'a=1' } },
    });
  });

  it('fails as a user error on 500, with the status and the body in the message', async () => {
    const outcome = await sut.run(httpTask({ url: `${base}/fail` }), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      result: { status: 500, body: 'database exploded' },
    });
    expect(outcome.status === 'failed' && outcome.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/fail returned HTTP 500 Internal Server Error; body: database exploded$/,
    );
  });

  it('uses custom success statuses', async () => {
    const created = await sut.run(
      httpTask({ method: 'POST', url: `${base}/created`, successStatuses: [201] }),
      {
        signal: never,
      },
    );
    const goneIsFine = await sut.run(
      httpTask({ method: 'DELETE', url: `${base}/gone`, successStatuses: [204, 404] }),
      {
        signal: never,
      },
    );
    const okIsNot = await sut.run(httpTask({ url: `${base}/json`, successStatuses: [201] }), {
      signal: never,
    });

    expect(created).toMatchObject({
      status: 'succeeded',
      result: { status: 201, headers: { location: '/things/7' } },
    });
    expect(goneIsFine).toMatchObject({ status: 'succeeded', result: { status: 404, body: 'not here' } });
    expect(okIsNot).toMatchObject({ status: 'failed', errorKind: 'user' });
  });

  it('times out', async () => {
    const outcome = await sut.run(httpTask({ url: `${base}/hang` }, { timeoutMs: 200 }), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'timeout',
      message: 'step timed out after 200 ms',
    });
  });

  it('is cancelled by the abort signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const outcome = await sut.run(httpTask({ url: `${base}/hang` }), { signal: controller.signal });

    expect(outcome).toMatchObject({ status: 'failed', errorKind: 'cancelled' });
  });

  it('reports a refused connection as a user error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const outcome = await sut.run(httpTask({ url: `http://127.0.0.1:${port}/x` }), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/x failed: .*ECONNREFUSED/),
    });
  });

  it('reads at most maxBodyBytes of an endless body', async () => {
    const outcome = await sut.run(httpTask({ url: `${base}/endless` }, { timeoutMs: 5000 }), {
      signal: never,
    });

    expect(outcome).toMatchObject({ status: 'succeeded', result: { bodyTruncated: true } });
    const result = outcome.status === 'succeeded' ? (outcome.result as { body: string }) : { body: '' };
    expect(result.body.length).toBe(1024 * 1024);
  });

  it('rejects a body on GET and a non-http url as user errors', async () => {
    const withBody = await sut.run(httpTask({ url: `${base}/json`, body: { a: 1 } }), { signal: never });
    const file = await sut.run(httpTask({ url: 'file:///etc/passwd' }), { signal: never });

    expect(withBody).toMatchObject({ status: 'failed', errorKind: 'user' });
    expect(file).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: 'url must be http or https, got file:',
    });
  });
});
