import { PGliteSqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { describeQueueProjection } from './testing/queue-projection.contract';

// An in-memory PGlite runs initdb (2-4 s): one for the whole file.
jest.setTimeout(60_000);

let sql: PGliteSqlClient;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
});

afterAll(() => sql?.close());

describeQueueProjection('PGlite', () => ({ sql: () => sql, prefix: 'pglite' }));
