import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

const DIAMOND = join(__dirname, '../../../../examples/diamond.yaml');

describe('baton push', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.requests.splice(0));

  it('sends the file as it is with its content type and prints the new version, active', async () => {
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/workflows'
        ? { status: 201, body: { workflowId: 'sales.daily', version: 3, created: true, activeVersion: 3 } }
        : undefined;

    const sut = await runBaton(['push', DIAMOND], { server: server.url });

    expect(sut).toEqual({ code: 0, stdout: 'sales.daily v3 (new); active: v3\n', stderr: '' });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/workflows',
        contentType: 'application/yaml',
        body: readFileSync(DIAMOND, 'utf8'),
      },
    ]);
  });

  it('says unchanged when the server kept the latest version, and --json prints the result', async () => {
    const kept = { workflowId: 'sales.daily', version: 3, created: false, activeVersion: 3 };
    server.route = () => ({ status: 200, body: kept });

    expect((await runBaton(['push', DIAMOND], { server: server.url })).stdout).toBe(
      'sales.daily v3 (unchanged); active: v3\n',
    );
    const json = await runBaton(['push', DIAMOND, '--json'], { server: server.url });
    expect(JSON.parse(json.stdout)).toEqual(kept);
  });

  it('--no-activate asks the server to keep the active version, and says which one stays active', async () => {
    server.route = () => ({
      status: 201,
      body: { workflowId: 'sales.daily', version: 4, created: true, activeVersion: 3 },
    });

    const sut = await runBaton(['push', '--no-activate', DIAMOND], { server: server.url });

    expect(sut).toEqual({
      code: 0,
      stdout:
        'sales.daily v4 (new); active: v3 (kept by --no-activate; baton workflow activate sales.daily 4)\n',
      stderr: '',
    });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/workflows?activate=false']);
  });

  it('says when no version is active, and when the server does not say', async () => {
    server.route = () => ({
      status: 201,
      body: { workflowId: 'sales.daily', version: 2, created: true, activeVersion: null },
    });
    expect((await runBaton(['push', '--no-activate', DIAMOND], { server: server.url })).stdout).toBe(
      'sales.daily v2 (new); active: none, the workflow is deactivated (baton workflow activate sales.daily 2)\n',
    );
    server.route = () => ({ status: 201, body: { workflowId: 'sales.daily', version: 2, created: true } });
    expect((await runBaton(['push', DIAMOND], { server: server.url })).stdout).toBe(
      'sales.daily v2 (new); active: unknown (the server did not say)\n',
    );
  });

  it('sends JSON files as application/json', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-cli-')), 'wf.json');
    writeFileSync(file, '{"id": "j", "steps": [{"id": "a", "type": "noop"}]}');
    server.route = () => ({
      status: 201,
      body: { workflowId: 'j', version: 1, created: true, activeVersion: 1 },
    });

    await runBaton(['push', file], { server: server.url });

    expect(server.requests[0]!.contentType).toBe('application/json');
  });

  it("prints the server's validation errors against the file and exits 1", async () => {
    server.route = () => ({
      status: 400,
      body: {
        message: 'invalid workflow document',
        errors: [
          { path: '$.steps[1].depends_on[1]', message: "unknown step 'missing'", line: 7, column: 27 },
          { path: '$.tags', message: 'tags must be a list' },
        ],
      },
    });

    const sut = await runBaton(['push', DIAMOND], { server: server.url });

    expect(sut.code).toBe(1);
    expect(sut.stderr).toBe(
      'error: invalid workflow document\n' +
        `${DIAMOND}:7:27  $.steps[1].depends_on[1]  unknown step 'missing'\n` +
        `${DIAMOND}  $.tags  tags must be a list\n`,
    );
  });
});
