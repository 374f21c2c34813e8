import { migrate, PGliteSqlClient } from '@baton/readmodel';
import { describeRegistryContract } from '@baton/readmodel/testing/workflow-registry.contract';
import { projectedRegistryClient } from './testing/projected-registry-client';
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

// The registry as the read model shows it, written only by this projection of the writer's events.
describeRegistryContract(() => sql, projectedRegistryClient);
