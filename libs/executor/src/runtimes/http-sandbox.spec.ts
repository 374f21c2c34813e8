import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRuntime, redactUrls } from './http.runtime';
import { HttpTargetPolicy, normalizeAddress } from './http-target-policy';
import type { HttpTask, StepOutcome } from '@baton/contracts';

/** A loopback target that counts what reaches it: every refusal below must leave `hits` at 0. */
let server: Server;
let port: number;
let hits = 0;
let redirectTo = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: redirectTo });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`auth=${req.headers.authorization ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = 0;
});

function task(url: string): HttpTask {
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
    timeoutMs: 10_000,
    type: 'http',
    spec: { method: 'GET', headers: {}, url },
  };
}

const never = new AbortController().signal;
const run = (sut: HttpRuntime, url: string): Promise<StepOutcome> => sut.run(task(url), { signal: never });

describe('HTTP steps under the default policy', () => {
  // `internal.test` resolves to loopback through the test's own resolver: no DNS, no /etc/hosts.
  const sut = new HttpRuntime({
    lookup: async (hostname) =>
      hostname === 'internal.test' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '::1', family: 6 }],
  });

  it.each([
    ['dotted', () => `http://127.0.0.1:${port}/`],
    ['decimal', () => `http://2130706433:${port}/`],
    ['hex', () => `http://0x7f000001:${port}/`],
    ['IPv6-mapped', () => `http://[::ffff:127.0.0.1]:${port}/`],
    ['IPv6 loopback', () => `http://[::1]:${port}/`],
    ['a name resolving to loopback', () => `http://internal.test:${port}/`],
  ])('refuses loopback written %s, before connecting', async (_form, url) => {
    const outcome = await run(sut, url());
    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: expect.stringMatching(/refused/),
    });
    expect(hits).toBe(0);
  });

  it('refuses link-local and cloud metadata addresses', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/',
    ]) {
      expect(await run(sut, url)).toMatchObject({
        status: 'failed',
        message: expect.stringMatching(/refused/),
      });
    }
  });
});

describe('HTTP steps that may call loopback', () => {
  const sut = new HttpRuntime({ policy: { allow: ['127.0.0.1'] } });

  it('re-checks every redirect: a hop to a refused address is not followed', async () => {
    redirectTo = `http://[::ffff:169.254.169.254]/latest/meta-data/`;
    const outcome = await run(sut, `http://127.0.0.1:${port}/redirect`);
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('redirect to') });
    expect(hits).toBe(1);
  });

  it('refuses a redirect to a name that resolves to a refused address (localhost -> ::1 / 127.0.0.1 only partly allowed)', async () => {
    const strict = new HttpRuntime({
      policy: { allow: ['127.0.0.1'] },
      lookup: async () => [{ address: '::1', family: 6 }],
    });
    redirectTo = `http://localhost:${port}/`;
    const outcome = await run(strict, `http://127.0.0.1:${port}/redirect`);
    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: expect.stringMatching(/refused/),
    });
    expect(hits).toBe(1);
  });

  it('follows an allowed redirect, and sends URL credentials as a header without showing them', async () => {
    redirectTo = `http://127.0.0.1:${port}/final`;
    const outcome = await run(sut, `http://alice:s3cr3t@127.0.0.1:${port}/redirect`);
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: { body: `auth=Basic ${Buffer.from('alice:s3cr3t').toString('base64')}` },
    });
    expect(JSON.stringify(outcome.logs)).not.toContain('s3cr3t');
  });
});

describe('HttpTargetPolicy', () => {
  it('treats IPv4-mapped and IPv4-compatible IPv6 as the IPv4 address', () => {
    expect(normalizeAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(normalizeAddress('[::ffff:169.254.169.254]')).toBe('169.254.169.254');
    expect(normalizeAddress('::7f00:1')).toBe('127.0.0.1');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
  });

  it('lets allow entries punch holes in the deny list, and takes hosts, wildcards and groups', () => {
    const policy = new HttpTargetPolicy({
      deny: ['private', '*.corp.example'],
      allow: ['10.1.0.0/16', 'ok.corp.example'],
    });
    expect(policy.checkAddress('10.2.3.4')).toMatch(/refused/);
    expect(policy.checkAddress('10.1.3.4')).toBeUndefined();
    expect(policy.checkHost('db.corp.example')).toMatch(/refused/);
    expect(policy.checkHost('ok.corp.example')).toBeUndefined();
    expect(policy.checkAddress('8.8.8.8')).toBeUndefined();
  });

  it('refuses a malformed entry naming the setting', () => {
    expect(() => new HttpTargetPolicy({ deny: ['10.0.0.0/99'] })).toThrow(/BATON_HTTP_DENY/);
    expect(() => new HttpTargetPolicy({ allow: ['not a host'] })).toThrow(/BATON_HTTP_ALLOW/);
  });
});

describe('redactUrls', () => {
  it('cuts credentials and query strings out of URLs in a message', () => {
    expect(redactUrls('connect to https://bob:pw@api.example/v1/x?token=abc failed')).toBe(
      'connect to https://***@api.example/v1/x?*** failed',
    );
  });
});
