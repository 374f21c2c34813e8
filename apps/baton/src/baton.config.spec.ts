import { loadConfig } from './baton.config';

describe('loadConfig', () => {
  it('defaults to port 8080, the embedded log and PGlite under .baton', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 8080, host: '127.0.0.1' });
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
    expect(config.http.port).toBe(9000);
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

  it('gives BATON_LEASE_MS to the engine alone (its executor uses the lease each task carries)', () => {
    const config = loadConfig({ BATON_LEASE_MS: '45000' });
    expect(config.engine).toEqual({ leaseMs: 45_000 });
    expect(config.executor).not.toHaveProperty('leaseMs');
    expect(loadConfig({}).engine).toEqual({ leaseMs: 30_000 });
  });

  it.each([
    [
      'BATON_LEASE_MS',
      '500',
      /BATON_LEASE_MS must be a whole number of milliseconds, at least 1000 \(got '500'\)/,
    ],
    ['BATON_LEASE_MS', '30s', /BATON_LEASE_MS must be .* \(got '30s'\)/],
    ['BATON_EXECUTOR_SLOTS', '0', /BATON_EXECUTOR_SLOTS must be a positive integer \(got '0'\)/],
    ['BATON_LOG_FORMAT', 'yaml', /BATON_LOG_FORMAT must be json, pretty or auto \(got 'yaml'\)/],
    [
      'BATON_LOG_LEVEL',
      'loud',
      /BATON_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/,
    ],
    ['BATON_PORT', '70000', /BATON_PORT must be a TCP port number \(0-65535\) \(got '70000'\)/],
  ])('refuses %s=%s at start, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads the log settings: level, format, and NO_COLOR for pretty output', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info', format: 'auto', color: true });
    expect(loadConfig({ BATON_LOG_LEVEL: 'debug', BATON_LOG_FORMAT: 'pretty', NO_COLOR: '1' }).log).toEqual({
      level: 'debug',
      format: 'pretty',
      color: false,
    });
  });
});
