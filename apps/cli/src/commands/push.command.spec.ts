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

  it('sends the file as it is with its content type and prints the new version', async () => {
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/workflows'
        ? { status: 201, body: { workflowId: 'sales.daily', version: 3, created: true } }
        : undefined;

    const sut = await runBaton(['push', DIAMOND], { server: server.url });

    expect(sut).toEqual({ code: 0, stdout: 'sales.daily v3 (new)\n', stderr: '' });
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
    server.route = () => ({ status: 200, body: { workflowId: 'sales.daily', version: 3, created: false } });

    expect((await runBaton(['push', DIAMOND], { server: server.url })).stdout).toBe(
      'sales.daily v3 (unchanged)\n',
    );
    const json = await runBaton(['push', DIAMOND, '--json'], { server: server.url });
    expect(JSON.parse(json.stdout)).toEqual({ workflowId: 'sales.daily', version: 3, created: false });
  });

  it('sends JSON files as application/json', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-cli-')), 'wf.json');
    writeFileSync(file, '{"id": "j", "steps": [{"id": "a", "type": "noop"}]}');
    server.route = () => ({ status: 201, body: { workflowId: 'j', version: 1, created: true } });

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
