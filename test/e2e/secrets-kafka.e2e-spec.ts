import { readFileSync } from 'node:fs';
import { coreTopics, SecretSealer, stepTasksTopic } from '@baton/contracts';
import { KafkaEventLog } from '@baton/eventlog';
import { PgSqlClient } from '@baton/sql';
import { BatonApi } from './support/api-client';
import { tempDir, E2E_ADMIN_TOKEN } from './support/env';
import { RUN_PARTITIONS, startKafkaCluster, type KafkaCluster } from './support/kafka-cluster';
import { executorSecretEnv, expectNoSecret, runSecretScenario, secretDirs } from './support/secret-scenario';

// Secret params end to end in the distributed layout: the API, the engine
// and the executors share BATON_SECRETS_KEY; afterwards every Baton topic on
// the broker, every table of the read model and each process's log are
// searched for the values.

jest.setTimeout(240_000);

describe('secret params on Kafka and PostgreSQL', () => {
  const dir = tempDir('secrets-kafka');
  let cluster: KafkaCluster | undefined;

  afterAll(async () => {
    await cluster?.dispose(false);
    dir.remove();
  });

  it('reach the step and appear in no topic, table or process log', async () => {
    const dirs = secretDirs(dir.path);
    cluster = await startKafkaCluster({
      suite: 'secrets',
      dir: dir.path,
      executorCount: 1,
      leaseMs: 10_000,
      executorSlots: 2,
      env: {
        BATON_SECRETS_KEY: SecretSealer.generateKey().toString('base64'),
        BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        ...executorSecretEnv(dirs),
      },
    });
    const { group } = cluster;
    await group.guard(async () => {
      const api = new BatonApi(cluster!.apiProcess.url, E2E_ADMIN_TOKEN);
      const run = await runSecretScenario(api, 'kafka', dirs);

      const log = await KafkaEventLog.connect({ brokers: cluster!.brokers, logLevel: 'error' });
      try {
        const topics = [
          ...coreTopics({ runPartitions: RUN_PARTITIONS, requestPartitions: 4 }).map((t) => t.name),
          stepTasksTopic('default'),
        ];
        let sawRun = false;
        for (const topic of topics) {
          const partitions = await log.partitionCount(topic).catch(() => 0);
          for (let p = 0; p < partitions; p++) {
            for await (const record of log.readPartition(topic, p)) {
              const text = `${record.key} ${record.value ?? ''} ${JSON.stringify(record.headers)}`;
              sawRun ||= text.includes(run.runId);
              expectNoSecret(`${topic}[${p}]@${record.offset}`, text);
            }
          }
        }
        expect(sawRun).toBe(true);
      } finally {
        await log.close();
      }

      const sql = new PgSqlClient({ connectionString: cluster!.databaseUrl, maxConnections: 1 });
      try {
        const tables = await sql.query<{ name: string }>(
          `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name
             FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
        );
        let rows = 0;
        for (const { name } of tables) {
          const dump = await sql.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
          rows += dump.length;
          expectNoSecret(`table ${name}`, dump.map((r) => r.row).join('\n'));
        }
        expect(rows).toBeGreaterThan(0);
      } finally {
        await sql.close();
      }

      await group.stopAll();
      for (const process of group.processes)
        expectNoSecret(`${process.name} log`, readFileSync(process.logFile, 'utf8'));
    });
  });
});
