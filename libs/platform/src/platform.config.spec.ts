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
});
