import { join } from 'node:path';
import { Topics } from '@baton/contracts';
import { KafkaEventLog } from '@baton/eventlog';
import { createTestDatabase } from '@baton/readmodel/testing/test-database';
import { BatonApi } from './api-client';
import { freePorts, RUN_TAG } from './env';
import { RUN_PARTITIONS } from './kafka-cluster';
import { ProcessGroup, type BatonProcess } from './processes';
import { kafkaBrokers, requireKafka } from './services';

/** What the chaos suites send as `Authorization: Bearer` (and start every process with). */
export const CHAOS_TOKEN = 'chaos-admin-token';

export interface ChaosCluster {
  readonly group: ProcessGroup;
  readonly api: BatonApi;
  readonly apiProcess: BatonProcess;
  readonly engines: BatonProcess[];
  readonly projector: BatonProcess;
  readonly archiver: BatonProcess;
  readonly executors: BatonProcess[];
  readonly brokers: string[];
  readonly databaseUrl: string;
  dispose(keepDatabase: boolean): Promise<void>;
}

/**
 * The whole distributed layout, every process kind at least once: api, two
 * engines, projector, archiver, two executors, on the real broker and a
 * database of its own. Short Kafka session timeouts and leases, so a fault
 * costs seconds and the suite stays within CI's budget.
 */
export async function startChaosCluster(options: {
  readonly suite: string;
  readonly dir: string;
  readonly leaseMs: number;
  readonly sessionTimeoutMs: number;
  readonly executorSlots: number;
}): Promise<ChaosCluster> {
  const brokers = kafkaBrokers();
  await requireKafka(brokers);
  const database = await createTestDatabase(`baton_e2e_${options.suite}_${RUN_TAG}`);
  const group = new ProcessGroup(options.dir);
  const shared = {
    BATON_EVENT_LOG: 'kafka',
    BATON_KAFKA_BROKERS: brokers.join(','),
    BATON_DATABASE_URL: database.url,
    BATON_RUN_PARTITIONS: String(RUN_PARTITIONS),
    BATON_LOG_LEVEL: 'info',
    BATON_ADMIN_TOKEN: CHAOS_TOKEN,
    BATON_KAFKA_SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs),
    // The engines own the lease (they put it in each task); executors use the task's.
    BATON_LEASE_MS: String(options.leaseMs),
  };
  const ports = await freePorts(8);
  const add = (name: string, app: Parameters<ProcessGroup['add']>[0]['app'], port: number, env = {}) =>
    group.add({ name, app, port, env: { ...shared, BATON_DATA_DIR: join(options.dir, name), ...env } });
  const apiProcess = add('api', 'api', ports[0]);
  const engines = [add('engine-1', 'engine', ports[1]), add('engine-2', 'engine', ports[2])];
  const projector = add('projector', 'projector', ports[3]);
  const archiver = add('archiver', 'archiver', ports[4]);
  const executors = [1, 2].map((n) =>
    add(`executor-${n}`, 'executor', ports[4 + n], {
      BATON_EXECUTOR_POOL: 'default',
      BATON_EXECUTOR_SLOTS: String(options.executorSlots),
    }),
  );
  const dispose = async (keepDatabase: boolean) => {
    await group.stopAll();
    if (!keepDatabase) await database.drop();
  };
  try {
    await group.guard(() => apiProcess.start());
    await group.guard(() =>
      Promise.all([...engines, projector, archiver, ...executors].map((p) => p.start())).then(
        () => undefined,
      ),
    );
  } catch (error) {
    await dispose(true);
    throw error;
  }
  return {
    group,
    api: new BatonApi(apiProcess.url, CHAOS_TOKEN),
    apiProcess,
    engines,
    projector,
    archiver,
    executors,
    brokers,
    databaseUrl: database.url,
    dispose,
  };
}

/** Per run: the terminal CloudEvents (`io.baton.run.succeeded|failed|cancelled`) on `baton.status-events`. */
export async function terminalStatusEvents(
  brokers: readonly string[],
  runIds: readonly string[],
): Promise<Map<string, string[]>> {
  const wanted = new Set(runIds);
  const found = new Map<string, string[]>(runIds.map((id) => [id, []]));
  const log = await KafkaEventLog.connect({ brokers: [...brokers], logLevel: 'error' });
  try {
    const partitions = await log.partitionCount(Topics.statusEvents);
    for (let partition = 0; partition < partitions; partition++) {
      for await (const record of log.readPartition(Topics.statusEvents, partition)) {
        if (!wanted.has(record.key)) continue;
        const event = JSON.parse(String(record.value)) as { type: string; subject: string };
        if (
          /^io\.baton\.run\.(succeeded|failed|cancelled)$/.test(event.type) &&
          event.subject === record.key
        ) {
          found.get(record.key)!.push(event.type);
        }
      }
    }
  } finally {
    await log.close();
  }
  return found;
}
