import { pgTlsFromEnv } from './pg-sql-client';

const read = (path: string) => ({ '/ca.pem': 'CA', '/c.pem': 'CERT', '/k.pem': 'KEY' })[path] ?? '';

describe('PostgreSQL TLS from the environment', () => {
  it('is off by default (the URL may still say sslmode)', () => {
    expect(pgTlsFromEnv({}, read)).toBeUndefined();
    expect(pgTlsFromEnv({ BATON_DATABASE_SSL: 'disable' }, read)).toBeUndefined();
  });

  it('encrypts without checking on require, and checks the certificate and host on verify-full', () => {
    expect(pgTlsFromEnv({ BATON_DATABASE_SSL: 'require' }, read)).toEqual({ rejectUnauthorized: false });
    expect(
      pgTlsFromEnv(
        {
          BATON_DATABASE_SSL: 'verify-full',
          BATON_DATABASE_SSL_CA_FILE: '/ca.pem',
          BATON_DATABASE_SSL_CERT_FILE: '/c.pem',
          BATON_DATABASE_SSL_KEY_FILE: '/k.pem',
        },
        read,
      ),
    ).toEqual({ rejectUnauthorized: true, ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  it('refuses an unknown mode and a certificate without its key', () => {
    expect(() => pgTlsFromEnv({ BATON_DATABASE_SSL: 'prefer' }, read)).toThrow(
      /BATON_DATABASE_SSL must be one of/,
    );
    expect(() =>
      pgTlsFromEnv({ BATON_DATABASE_SSL: 'require', BATON_DATABASE_SSL_CERT_FILE: '/c.pem' }, read),
    ).toThrow(/go together/);
  });
});
