import { join, resolve } from 'node:path';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

const TOKEN = {
  tokenId: '3f9a0c1b2d4e',
  name: 'dashboards',
  role: 'viewer',
  scopes: ['sales.'],
  createdAt: 0,
  createdBy: 'token:000000000001',
  revokedAt: null,
  revokedBy: null,
};

describe('baton token', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.authorizations.length = 0;
  });

  it('creates a token with a role and scopes and prints it once', async () => {
    server.route = () => ({ status: 201, body: { ...TOKEN, token: 'baton_3f9a0c1b2d4e_secret' } });

    const sut = await runBaton(
      [
        'token',
        'create',
        '--role',
        'viewer',
        '--scope',
        'sales.',
        '--name',
        'dashboards',
        '--token',
        'admin-t',
      ],
      { server: server.url },
    );

    expect(sut.code).toBe(0);
    expect(sut.stdout).toBe(
      'baton_3f9a0c1b2d4e_secret\ntoken 3f9a0c1b2d4e (dashboards): viewer on sales.*. Shown once: keep it now.\n',
    );
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/tokens',
        contentType: 'application/json',
        body: JSON.stringify({ name: 'dashboards', role: 'viewer', scopes: ['sales.'] }),
      },
    ]);
    expect(server.authorizations).toEqual(['Bearer admin-t']);
  });

  it('refuses an unknown role before calling the server', async () => {
    const sut = await runBaton(['token', 'create', '--role', 'root'], { server: server.url });
    expect(sut).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('--role must be one of viewer, operator, admin'),
    });
    expect(server.requests).toEqual([]);
  });

  it('lists and revokes tokens', async () => {
    server.route = (request) =>
      request.method === 'GET'
        ? { status: 200, body: [TOKEN] }
        : { status: 200, body: { ...TOKEN, revokedAt: 1 } };
    const listed = await runBaton(['token', 'list'], { server: server.url, env: { BATON_TOKEN: 'env-t' } });
    expect(listed.stdout).toContain('3f9a0c1b2d4e  dashboards  viewer  sales.  token:000000000001  active');
    const revoked = await runBaton(['token', 'revoke', '3f9a0c1b2d4e'], {
      server: server.url,
      env: { BATON_TOKEN: 'env-t' },
    });
    expect(revoked.stdout).toBe('token 3f9a0c1b2d4e (dashboards) revoked\n');
    expect(server.sent('DELETE', '/api/v1/tokens/3f9a0c1b2d4e')).toHaveLength(1);
    expect(server.authorizations).toEqual(['Bearer env-t', 'Bearer env-t']);
  });

  it('sends the local admin token from the data dir to a server on this machine only', async () => {
    server.route = () => ({ status: 200, body: [] });
    const files = { [join(resolve('/tmp/baton-data'), 'admin-token')]: 'baton_local_token\n' };
    await runBaton(['token', 'list'], {
      server: server.url,
      env: { BATON_DATA_DIR: '/tmp/baton-data' },
      files,
    });
    const remote = server.url.replace('127.0.0.1', 'localhost.invalid');
    await runBaton(['token', 'list'], { server: remote, env: { BATON_DATA_DIR: '/tmp/baton-data' }, files });
    expect(server.authorizations).toEqual(['Bearer baton_local_token']);
  });

  it('says how to authenticate when the server answers 401', async () => {
    server.route = () => ({ status: 401, body: { statusCode: 401, message: 'authentication required' } });
    const sut = await runBaton(['token', 'list'], { server: server.url });
    expect(sut.stderr).toContain('pass --token or set BATON_TOKEN');
  });
});
