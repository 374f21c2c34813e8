import { HealthService } from './health.service';

describe('HealthService', () => {
  it('is live and ready with no checks', async () => {
    const sut = new HealthService('api');
    expect(sut.live()).toMatchObject({ status: 'ok', service: 'api' });
    expect(await sut.ready()).toMatchObject({ status: 'ok', checks: {} });
  });

  it('is not ready while any check fails, throws or does not answer in time, and says which and why', async () => {
    jest.useFakeTimers();
    try {
      const sut = new HealthService('engine');
      sut.register('database', () => ({ ok: true }));
      sut.register('writers', () => ({
        ok: false,
        detail: { problems: ['Engine partition 3: producer fenced'] },
      }));
      sut.register('eventLog', async () => {
        throw new Error('Connection refused');
      });
      sut.register('storage', () => new Promise(() => undefined));
      const report = sut.ready();
      await jest.advanceTimersByTimeAsync(2_000);
      expect(await report).toMatchObject({
        status: 'unavailable',
        checks: {
          database: { ok: true },
          writers: { ok: false, detail: { problems: ['Engine partition 3: producer fenced'] } },
          eventLog: { ok: false, detail: 'Connection refused' },
          storage: { ok: false, detail: 'no answer within 2000 ms' },
        },
      });
      expect(sut.live().status).toBe('ok');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a second check under the same name', () => {
    const sut = new HealthService('engine');
    sut.register('database', () => ({ ok: true }));
    expect(() => sut.register('database', () => ({ ok: true }))).toThrow(/already registered/);
  });
});
