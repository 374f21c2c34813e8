import { kafkaClientConfig, kafkaSecurityFromEnv, resolveKafkaOptions } from './kafka-options';

const files: Record<string, string> = {
  '/ca.pem': 'CA',
  '/cert.pem': 'CERT',
  '/key.pem': 'KEY',
  '/pw': 'pa55\n',
};
const read = (path: string) => {
  if (!(path in files)) throw new Error(`ENOENT ${path}`);
  return files[path];
};
const security = (env: NodeJS.ProcessEnv) => kafkaSecurityFromEnv(env, read);

describe('Kafka transport security from the environment', () => {
  it('is plaintext without authentication when nothing is set', () => {
    expect(security({})).toEqual({});
    expect(kafkaClientConfig(resolveKafkaOptions({ brokers: ['b:9092'] }))).not.toHaveProperty('ssl');
  });

  it('turns TLS on with the system CAs, or with the given PEM files for mutual TLS', () => {
    expect(security({ BATON_KAFKA_SSL: 'true' })).toEqual({ ssl: true });
    expect(
      security({
        BATON_KAFKA_SSL_CA_FILE: '/ca.pem',
        BATON_KAFKA_SSL_CERT_FILE: '/cert.pem',
        BATON_KAFKA_SSL_KEY_FILE: '/key.pem',
      }),
    ).toEqual({ ssl: { ca: 'CA', cert: 'CERT', key: 'KEY', rejectUnauthorized: true } });
    expect(security({ BATON_KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toEqual({
      ssl: { rejectUnauthorized: false },
    });
  });

  it('maps each SASL mechanism, the password from the environment or a file', () => {
    expect(
      security({
        BATON_KAFKA_SASL_MECHANISM: 'PLAIN',
        BATON_KAFKA_SASL_USERNAME: 'u',
        BATON_KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toEqual({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
    const scram = security({
      BATON_KAFKA_SSL: 'true',
      BATON_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      BATON_KAFKA_SASL_USERNAME: 'baton',
      BATON_KAFKA_SASL_PASSWORD_FILE: '/pw',
    });
    expect(scram).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'baton', password: 'pa55' },
    });
    expect(kafkaClientConfig(resolveKafkaOptions({ brokers: ['b:9093'], ...scram }))).toMatchObject({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'baton', password: 'pa55' },
    });
  });

  it('refuses half-given settings, naming the variable', () => {
    expect(() => security({ BATON_KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/BATON_KAFKA_SASL_MECHANISM/);
    expect(() => security({ BATON_KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/BATON_KAFKA_SASL_USERNAME/);
    expect(() => security({ BATON_KAFKA_SSL_CERT_FILE: '/cert.pem' })).toThrow(/BATON_KAFKA_SSL_KEY_FILE/);
    expect(() => security({ BATON_KAFKA_SSL: 'yes' })).toThrow(/BATON_KAFKA_SSL must be true or false/);
  });
});
