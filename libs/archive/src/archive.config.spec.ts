import { eventStoreUrlWithTls, loadArchiveConfig } from './archive.config';

describe('archive transport security from the environment', () => {
  it('writes EventStoreDB TLS settings into the connection string, never over what the URL says', () => {
    expect(eventStoreUrlWithTls('esdb://node:2113', {})).toBe('esdb://node:2113');
    expect(
      eventStoreUrlWithTls('esdb://admin:changeit@node:2113', {
        BATON_EVENTSTORE_TLS: 'true',
        BATON_EVENTSTORE_TLS_CA_FILE: '/etc/baton/esdb-ca.pem',
        BATON_EVENTSTORE_TLS_VERIFY_CERT: 'true',
      }),
    ).toBe(
      'esdb://admin:changeit@node:2113?tls=true&tlsVerifyCert=true&tlsCAFile=%2Fetc%2Fbaton%2Fesdb-ca.pem',
    );
    expect(eventStoreUrlWithTls('esdb://node:2113?tls=false', { BATON_EVENTSTORE_TLS: 'true' })).toBe(
      'esdb://node:2113?tls=false',
    );
    expect(() => eventStoreUrlWithTls('esdb://node:2113', { BATON_EVENTSTORE_TLS: 'on' })).toThrow(
      /BATON_EVENTSTORE_TLS must be true or false/,
    );
  });

  it('applies the database TLS settings to a separate PostgreSQL archive', () => {
    expect(
      loadArchiveConfig({ BATON_ARCHIVE_DATABASE_URL: 'postgres://a@h/db', BATON_DATABASE_SSL: 'require' }),
    ).toEqual({ kind: 'postgres', url: 'postgres://a@h/db', ssl: { rejectUnauthorized: false } });
    expect(
      loadArchiveConfig({
        BATON_ARCHIVE: 'eventstoredb',
        BATON_EVENTSTORE_URL: 'esdb://n:2113',
        BATON_EVENTSTORE_TLS: 'false',
      }),
    ).toEqual({ kind: 'eventstoredb', url: 'esdb://n:2113?tls=false' });
  });
});
