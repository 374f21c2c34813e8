import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretSealer } from '@baton/contracts';
import { loadPlatformConfig } from './platform.config';
import { openSecretSealer } from './secrets-key';

describe('the secrets key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-secrets-key-'));

  it('is created on first start with mode 0600 when asked, and the same key is read back', async () => {
    const keyFile = join(dir, 'data', 'secrets.key');
    const first = await openSecretSealer({ keyFile, createKeyFile: true });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const again = await openSecretSealer({ keyFile, createKeyFile: false });
    expect(again!.unseal(first!.seal('x'))).toBe('x');
  });

  it('is absent for a distributed process with no key configured', async () => {
    expect(await openSecretSealer({ keyFile: join(dir, 'none.key'), createKeyFile: false })).toBeNull();
  });

  it('comes from BATON_SECRETS_KEY first, and a malformed key stops the process', async () => {
    const key = SecretSealer.generateKey().toString('base64');
    const config = loadPlatformConfig({ BATON_DATA_DIR: dir, BATON_SECRETS_KEY: key });
    expect(config.secrets).toMatchObject({ key, keyFile: join(dir, 'secrets.key'), createKeyFile: false });
    const sealer = await openSecretSealer(config.secrets);
    expect(new SecretSealer(Buffer.from(key, 'base64')).unseal(sealer!.seal('y'))).toBe('y');
    await expect(openSecretSealer({ key: 'c2hvcnQ=', keyFile: '', createKeyFile: false })).rejects.toThrow(
      /BATON_SECRETS_KEY must hold a base64-encoded 32-byte key/,
    );
    writeFileSync(join(dir, 'bad.key'), 'not a key');
    await expect(openSecretSealer({ keyFile: join(dir, 'bad.key'), createKeyFile: false })).rejects.toThrow(
      /bad\.key/,
    );
  });
});

describe('transport security in the platform config', () => {
  it('carries Kafka SASL/TLS and PostgreSQL TLS from the environment', () => {
    const config = loadPlatformConfig({
      BATON_EVENT_LOG: 'kafka',
      BATON_KAFKA_BROKERS: 'k1:9093',
      BATON_KAFKA_SSL: 'true',
      BATON_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      BATON_KAFKA_SASL_USERNAME: 'baton',
      BATON_KAFKA_SASL_PASSWORD: 'pw',
      BATON_DATABASE_URL: 'postgres://baton@db/baton',
      BATON_DATABASE_SSL: 'require',
    });
    expect(config.eventLog).toEqual({
      kind: 'kafka',
      brokers: ['k1:9093'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'baton', password: 'pw' },
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://baton@db/baton',
      ssl: { rejectUnauthorized: false },
    });
  });
});
