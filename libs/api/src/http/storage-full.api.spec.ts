import { RegistryClient } from '@baton/readmodel';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';
import { STORAGE_FULL_RETRY_AFTER_S } from './storage-state';

// The app starts an in-memory PGlite and migrates it: seconds, more on a busy machine.
jest.setTimeout(60_000);

const WORKFLOW = 'id: full\nsteps:\n  - id: a\n    type: noop\n';

/** A write that meets a full disk: 503 with Retry-After, and readiness says so until writes can succeed again. */
describe('storage full', () => {
  let sut: ApiTestApp;
  beforeAll(async () => {
    sut = await startApiTestApp();
  });
  afterAll(() => sut.close());

  const push = () =>
    fetch(`${sut.base}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', authorization: 'Bearer test' },
      body: WORKFLOW,
    });
  const ready = async () => {
    const response = await fetch(`${sut.base}/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers 503 with Retry-After, is not ready while full, and is ready again after', async () => {
    expect((await ready()).status).toBe(200);
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const registry = sut.app.get(RegistryClient);
    const pushSpy = jest.spyOn(registry, 'push').mockRejectedValueOnce(enospc);

    const refused = await push();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(STORAGE_FULL_RETRY_AFTER_S));

    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      status: 'unavailable',
      checks: { storage: { ok: false, detail: expect.stringMatching(/storage full/) } },
    });
    // Liveness stays green: a restart would not free the disk.
    expect((await fetch(`${sut.base}/health/live`)).status).toBe(200);

    // Space is back: the next write succeeds, and readiness clears once the window passes.
    pushSpy.mockRestore();
    expect((await push()).status).toBe(201);
    sut.clock.nowMs += STORAGE_FULL_RETRY_AFTER_S * 1000 + 1;
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { storage: { ok: true } } } });
  });
});
