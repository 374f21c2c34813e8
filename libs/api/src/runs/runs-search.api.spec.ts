import { jsonParam } from '@baton/sql';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

// The app starts an in-memory PGlite and migrates it: seconds, more on a busy machine.
jest.setTimeout(60_000);

/** GET /runs by run-id prefix and creation time: the web UI's search box and time range. */
describe('GET /runs searched by run-id prefix and time range', () => {
  let sut: ApiTestApp;
  const listed = async (query: string): Promise<{ status: number; ids: string[]; body: unknown }> => {
    const response = await fetch(`${sut.base}/api/v1/runs?${query}`);
    const body = (await response.json()) as { items?: { runId: string }[] };
    return { status: response.status, ids: (body.items ?? []).map((r) => r.runId), body };
  };

  beforeAll(async () => {
    sut = await startApiTestApp();
    const runs = [
      ['abc-1', '2026-03-01T00:00:00.000Z'],
      ['abc-2', '2026-03-02T00:00:00.000Z'],
      ['abd-3', '2026-03-03T00:00:00.000Z'],
      ['a%c-4', '2026-03-04T00:00:00.000Z'],
    ];
    for (const [runId, createdAt] of runs) {
      await sut.sql.query(
        `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at)
         VALUES ($1, 'search', 1, 'succeeded', $2::jsonb, $3, $4::timestamptz, 1, now())`,
        [runId, jsonParam({}), `req-${runId}`, createdAt],
      );
    }
  });
  afterAll(() => sut.close());

  it('given a prefix, lists the runs whose id starts with it, newest first', async () => {
    expect((await listed('runIdPrefix=abc')).ids).toEqual(['abc-2', 'abc-1']);
    expect((await listed('runIdPrefix=ab')).ids).toEqual(['abd-3', 'abc-2', 'abc-1']);
  });

  it('given a time range, lists the runs created in [createdAfter, createdBefore), with paging', async () => {
    const after = Date.parse('2026-03-02T00:00:00.000Z');
    const before = Date.parse('2026-03-04T00:00:00.000Z');
    const page = await listed(`createdAfter=${after}&createdBefore=${before}&limit=1`);
    expect(page.ids).toEqual(['abd-3']);
    const cursor = encodeURIComponent((page.body as { nextCursor: string }).nextCursor);
    const next = await listed(`createdAfter=${after}&createdBefore=${before}&limit=1&cursor=${cursor}`);
    expect(next.ids).toEqual(['abc-2']);
    expect((next.body as { nextCursor: string | null }).nextCursor).toBeNull();
  });

  it('refuses a prefix that cannot start a run id, and a time that is not epoch milliseconds, with paths', async () => {
    const wildcard = await listed('runIdPrefix=a%25');
    expect(wildcard.status).toBe(400);
    expect(wildcard.body).toMatchObject({ errors: [{ path: '$.runIdPrefix' }] });
    const time = await listed('createdAfter=yesterday');
    expect(time.status).toBe(400);
    expect((time.body as { errors: unknown[] }).errors).toContainEqual({
      path: '$.createdAfter',
      message: 'createdAfter must be epoch milliseconds',
    });
  });
});
