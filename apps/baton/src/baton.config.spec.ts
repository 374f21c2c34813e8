import { loadConfig } from './baton.config';

describe('loadConfig', () => {
  it('defaults to port 8080, the embedded log and PGlite under .baton', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.platform.eventLog).toEqual({
      kind: 'embedded',
      dir: expect.stringMatching(/\.baton\/log$/),
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

  it('rejects a port that is not a number, saying which variable is wrong', () => {
    expect(() => loadConfig({ BATON_PORT: 'http' })).toThrow(/BATON_PORT/);
  });
});
