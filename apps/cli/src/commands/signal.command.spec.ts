import { FakeBatonServer } from '../testing/fake-baton-server';
import { runBaton } from '../testing/run-baton';

describe('baton signal', () => {
  const server = new FakeBatonServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.splice(0);
    server.route = (r) =>
      r.method === 'POST' && r.url === '/api/v1/signals'
        ? { status: 202, body: { signalId: 'sig-1' } }
        : undefined;
  });

  it('posts the name and params (JSON when they parse) and prints the signal id', async () => {
    const sut = await runBaton(['signal', 'sales.file_landed', '-p', 'day=2026-01-02', '-p', 'rows=3'], {
      server: server.url,
    });

    expect(sut).toEqual({ code: 0, stdout: 'signal sales.file_landed sent (id sig-1)\n', stderr: '' });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        url: '/api/v1/signals',
        contentType: 'application/json',
        body: JSON.stringify({ name: 'sales.file_landed', params: { day: '2026-01-02', rows: 3 } }),
      },
    ]);
  });

  it('sends the idempotency key given with --id, empty params without -p; --json prints the answer', async () => {
    const sut = await runBaton(['signal', 'go', '--id', 'landed-2026-01-02', '--json'], {
      server: server.url,
    });

    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      name: 'go',
      params: {},
      signalId: 'landed-2026-01-02',
    });
    expect(JSON.parse(sut.stdout)).toEqual({ signalId: 'sig-1' });
  });

  it("refuses a malformed param before calling the server, and reports the server's 400", async () => {
    const usage = await runBaton(['signal', 'go', '-p', 'oops'], { server: server.url });
    expect(usage.code).toBe(3);
    expect(usage.stderr).toContain('invalid --param "oops"');
    expect(server.requests).toEqual([]);

    server.route = () => ({
      status: 400,
      body: { statusCode: 400, message: 'invalid request: $.name: name must be shorter', errors: [] },
    });
    const refused = await runBaton(['signal', 'go'], { server: server.url });
    expect(refused).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: invalid request: $.name: name must be shorter\n',
    });
  });
});
