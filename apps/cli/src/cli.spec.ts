import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { createClientFactory } from './context';
import { FakeBatonServer } from './testing/fake-baton-server';
import { runBaton } from './testing/run-baton';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('baton (program)', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it.each([
    ['runs'],
    ['get', 'run-1'],
    ['logs', 'run-1', 'extract'],
    ['kill', 'run-1'],
    ['cancel', 'run-1'],
    ['stop', 'run-1'],
    ['restart', 'run-1'],
    ['skip', 'run-1', 'extract'],
    ['resume', 'run-1', 'load'],
    ['workflow', 'pause', 'sales.daily'],
    ['workflow', 'queue', 'sales.daily'],
    ['signal', 'go'],
    ['start', 'sales.daily'],
  ])('%s: exits 3 with a hint when Baton is unreachable', async (...argv) => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const sut = await runBaton(argv, { server: url });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toBe(
      `error: cannot reach Baton at ${url}: is it running? (npm start)\n  (ECONNREFUSED)\n`,
    );
  });

  it('start --wait gives up with exit 3 when the server goes away for good', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    let clock = 0;

    const sut = await runBaton(['start', 'x', '--wait'], { server: url, now: () => (clock += 1_000) });

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain('cannot reach Baton');
  });

  it('takes the server from --server (anywhere on the line) over BATON_URL', async () => {
    server.route = () => ({ status: 200, body: { items: [], nextCursor: null } });

    const before = await runBaton(['--server', server.url, 'runs'], {
      env: { BATON_URL: 'http://127.0.0.1:1' },
    });
    const after = await runBaton(['runs', '--server', `${server.url}/`], {
      env: { BATON_URL: 'http://127.0.0.1:1' },
    });

    expect([before.code, after.code]).toEqual([0, 0]);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/runs?limit=20', '/api/v1/runs?limit=20']);
  });

  it('defaults to http://localhost:8080, then BATON_URL', () => {
    const command = new Command('runs');

    expect(createClientFactory({}, undefined)(command).baseUrl).toBe('http://localhost:8080');
    expect(createClientFactory({ BATON_URL: 'https://baton.example/' }, undefined)(command).baseUrl).toBe(
      'https://baton.example',
    );
  });

  it('rejects a server URL that is not http(s)', async () => {
    const sut = await runBaton(['runs', '--server', 'localhost:8080']);

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain('invalid server URL "localhost:8080"');
  });

  it('reports a non-JSON error page by its status', async () => {
    server.route = () => ({ status: 502, body: undefined });

    const sut = await runBaton(['runs'], { server: server.url });

    expect(sut).toEqual({ code: 3, stdout: '', stderr: 'error: HTTP 502 Bad Gateway\n' });
  });

  it("joins Nest's list of validation messages", async () => {
    server.route = () => ({
      status: 400,
      body: { statusCode: 400, message: ['limit must not be greater than 500'], error: 'Bad Request' },
    });

    const sut = await runBaton(['runs', '--limit', '501'], { server: server.url });

    expect(sut.stderr).toBe('error: limit must not be greater than 500\n');
  });

  it('prints help with exit codes and examples, exit 0', async () => {
    const sut = await runBaton(['--help']);

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('Exit codes:');
    expect(sut.stdout).toContain('3  usage error, Baton unreachable');
  });

  it.each([
    'validate',
    'push',
    'start',
    'runs',
    'get',
    'logs',
    'restart',
    'stop',
    'kill',
    'skip',
    'resume',
    'workflow',
    'signal',
  ])('%s --help shows examples and the global --server option', async (command) => {
    const sut = await runBaton([command, '--help']);

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain(`Usage: baton ${command}`);
    expect(sut.stdout).toContain(`$ baton ${command}`);
    expect(sut.stdout).toContain('--server <url>');
  });

  it('cancel is kill by another name', async () => {
    const sut = await runBaton(['cancel', '--help']);

    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('Usage: baton kill|cancel');
  });

  it.each([
    [[]],
    [['nope']],
    [['get']],
    [['runs', '--limit', '0']],
    [['logs', 'run-1']],
    [['resume', 'run-1']],
    [['workflow']],
    [['workflow', 'nope', 'sales.daily']],
  ])('exits 3 on the usage error %j', async (argv) => {
    const sut = await runBaton(argv);

    expect(sut.code).toBe(3);
    expect(sut.stderr).not.toBe('');
  });
});
