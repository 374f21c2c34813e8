import { loadPlatformConfig } from './platform.config';

describe('loadPlatformConfig', () => {
  it('reads the Kafka consumer-group timeouts, and leaves the unset ones to the adapter', () => {
    const config = loadPlatformConfig({
      BATON_EVENT_LOG: 'kafka',
      BATON_KAFKA_BROKERS: 'k1:9092',
      BATON_KAFKA_SESSION_TIMEOUT_MS: '6000',
      BATON_KAFKA_REBALANCE_TIMEOUT_MS: '5000',
    });
    expect(config.eventLog).toEqual({
      kind: 'kafka',
      brokers: ['k1:9092'],
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 5000,
    });
  });

  it('refuses a heartbeat interval that is not below the session timeout, naming the variable', () => {
    expect(() =>
      loadPlatformConfig({
        BATON_EVENT_LOG: 'kafka',
        BATON_KAFKA_SESSION_TIMEOUT_MS: '3000',
        BATON_KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      }),
    ).toThrow(/BATON_KAFKA_HEARTBEAT_INTERVAL_MS/);
    expect(() =>
      loadPlatformConfig({ BATON_EVENT_LOG: 'kafka', BATON_KAFKA_SESSION_TIMEOUT_MS: 'soon' }),
    ).toThrow(/BATON_KAFKA_SESSION_TIMEOUT_MS must be a positive integer/);
  });

  it('reads the signal retention, a day and 100 per name by default', () => {
    expect(loadPlatformConfig({}).signalRetention).toEqual({ maxAgeMs: 86_400_000, maxCount: 100 });
    expect(
      loadPlatformConfig({ BATON_SIGNAL_RETENTION_MS: '3600000', BATON_SIGNAL_RETENTION_COUNT: '5' })
        .signalRetention,
    ).toEqual({ maxAgeMs: 3_600_000, maxCount: 5 });
    expect(() => loadPlatformConfig({ BATON_SIGNAL_RETENTION_COUNT: '-1' })).toThrow(
      /BATON_SIGNAL_RETENTION_COUNT must be a positive integer/,
    );
  });
});
