import { loadConfig } from './baton.config';

describe('loadConfig', () => {
  it('defaults to port 8080, the embedded log and PGlite under .baton', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.platform.eventLog).toEqual({
      kind: 'embedded',
      dir: expect.stringMatching(/\.baton\/log$/),
      fsync: 'batch',
      fsyncIntervalMs: 1000,
    });
    expect(config.platform.database).toEqual({ kind: 'pglite', dir: expect.stringMatching(/\.baton\/db$/) });
  });

  it('takes the port, Kafka and PostgreSQL from the environment', () => {
    const config = loadConfig({
      BATON_PORT: '9000',
      BATON_EVENT_LOG: 'kafka',
      BATON_KAFKA_BROKERS: 'k1:9092,k2:9092',
      BATON_DATABASE_URL: 'postgres://db/baton',
    });
    expect(config.port).toBe(9000);
    expect(config.platform.eventLog).toEqual({ kind: 'kafka', brokers: ['k1:9092', 'k2:9092'] });
    expect(config.platform.database).toEqual({ kind: 'postgres', url: 'postgres://db/baton' });
  });

  it("takes the embedded log's durability from BATON_FSYNC, and refuses a mode it does not know", () => {
    const config = loadConfig({ BATON_FSYNC: 'interval', BATON_FSYNC_INTERVAL_MS: '200' });
    expect(config.platform.eventLog).toMatchObject({ fsync: 'interval', fsyncIntervalMs: 200 });
    expect(() => loadConfig({ BATON_FSYNC: 'always' })).toThrow(
      /BATON_FSYNC must be one of batch, interval, never/,
    );
  });

  it('rejects a port that is not a number, saying which variable is wrong', () => {
    expect(() => loadConfig({ BATON_PORT: 'http' })).toThrow(/BATON_PORT/);
  });
});
