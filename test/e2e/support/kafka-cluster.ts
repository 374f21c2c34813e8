import { join } from 'node:path';
import { KafkaEventLog } from '@baton/eventlog';
import { PgSqlClient } from '@baton/sql';
import { BatonApi } from './api-client';
import { freePorts, RUN_TAG } from './env';
import { auditLog, type LogAudit } from './invariants';
import { ProcessGroup, sleep, type BatonProcess } from './processes';
import { createTestDatabase } from '@baton/readmodel/testing/test-database';
import { kafkaBrokers, requireKafka } from './services';

/** Run-keyed topics of the Kafka suites: every suite on a broker must agree (topics persist). */
export const RUN_PARTITIONS = 4;

export interface KafkaCluster {
  readonly group: ProcessGroup;
  readonly api: BatonApi;
  readonly apiProcess: BatonProcess;
  readonly engine: BatonProcess;
  readonly projector: BatonProcess;
  /** Every projector, `projector` first (more than one with `projectorCount`). */
  readonly projectors: BatonProcess[];
  readonly executors: BatonProcess[];
  readonly brokers: string[];
  readonly databaseUrl: string;
  /** Stops every process (graceful) and drops the suite's database. */
  dispose(keepDatabase: boolean): Promise<void>;
}

/**
 * The distributed layout as separate processes on the real broker and a
 * fresh PostgreSQL database of its own: api, engine, projector and
 * `executorCount` executors of the default pool. Fails loudly when Kafka or
 * PostgreSQL does not answer.
 */
export async function startKafkaCluster(options: {
  readonly suite: string;
  readonly dir: string;
  readonly executorCount: number;
  readonly leaseMs: number;
  readonly executorSlots: number;
  /** Extra environment of every process (e.g. a shared `BATON_SECRETS_KEY`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Projector processes sharing the partitions (default 1). */
  readonly projectorCount?: number;
}): Promise<KafkaCluster> {
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
    // The engine owns the lease (it puts it in each task); executors use the task's.
    BATON_LEASE_MS: String(options.leaseMs),
    ...options.env,
  };
  const projectorCount = options.projectorCount ?? 1;
  const ports = await freePorts(2 + projectorCount + options.executorCount);
  const dataDir = (name: string) => ({ BATON_DATA_DIR: join(options.dir, name) });
  const apiProcess = group.add({
    name: 'api',
    app: 'api',
    port: ports[0],
    env: { ...shared, ...dataDir('api') },
  });
  const engine = group.add({
    name: 'engine',
    app: 'engine',
    port: ports[1],
    env: { ...shared, ...dataDir('engine') },
  });
  const projectors = Array.from({ length: projectorCount }, (_, i) => {
    const name = i === 0 ? 'projector' : `projector-${i + 1}`;
    return group.add({ name, app: 'projector', port: ports[2 + i], env: { ...shared, ...dataDir(name) } });
  });
  const projector = projectors[0];
  const executors = Array.from({ length: options.executorCount }, (_, i) =>
    group.add({
      name: `executor-${i + 1}`,
      app: 'executor',
      port: ports[2 + projectorCount + i],
      env: {
        ...shared,
        ...dataDir(`executor-${i + 1}`),
        BATON_EXECUTOR_POOL: 'default',
        BATON_EXECUTOR_SLOTS: String(options.executorSlots),
      },
    }),
  );
  const dispose = async (keepDatabase: boolean) => {
    await group.stopAll();
    if (!keepDatabase) await database.drop();
  };
  try {
    // The API first: it creates the schema; the others start side by side.
    await group.guard(() => apiProcess.start());
    await group.guard(() =>
      Promise.all([engine, ...projectors, ...executors].map((p) => p.start())).then(() => undefined),
    );
  } catch (error) {
    await dispose(true);
    throw error;
  }
  return {
    group,
    api: new BatonApi(apiProcess.url),
    apiProcess,
    engine,
    projector,
    projectors,
    executors,
    brokers,
    databaseUrl: database.url,
    dispose,
  };
}

/**
 * Waits for the engine's current incarnation to own every run partition
 * (its `owns partition` log lines: writer Engine, partition, keys); answers the time from
 * spawn and the runs restored.
 */
export async function waitForEngineOwnership(
  engine: BatonProcess,
  timeoutMs = 90_000,
): Promise<{ ms: number; runs: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const owned = new Map<number, { at: number; runs: number }>();
    for (const line of engine.logLinesSinceStart()) {
      if (line.msg === 'owns partition' && line.writer === 'Engine')
        owned.set(Number(line.partition), { at: Number(line.time), runs: Number(line.keys) });
    }
    if (owned.size >= RUN_PARTITIONS) {
      const at = Math.max(...[...owned.values()].map((o) => o.at));
      return { ms: at - engine.startedAt, runs: [...owned.values()].reduce((a, o) => a + o.runs, 0) };
    }
    await sleep(100);
  }
  throw new Error(`engine did not own all ${RUN_PARTITIONS} partitions within ${timeoutMs} ms`);
}

/**
 * Audits the Kafka log against the read model, repeating until they agree
 * (the projector may still be applying the last events, e.g. rejections of
 * late reports) or `timeoutMs` passes; answers the last audit.
 */
export async function auditKafka(
  cluster: Pick<KafkaCluster, 'brokers' | 'databaseUrl'>,
  runIds: readonly string[],
  timeoutMs = 30_000,
): Promise<LogAudit & { tries: number }> {
  const log = await KafkaEventLog.connect({ brokers: cluster.brokers, logLevel: 'error' });
  const sql = new PgSqlClient({ connectionString: cluster.databaseUrl, maxConnections: 2 });
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  try {
    for (;;) {
      tries++;
      const audit = await auditLog(log, sql, runIds);
      const clean =
        audit.missingRuns.length === 0 &&
        audit.differences.length === 0 &&
        audit.doubleSuccessesInLog.length === 0 &&
        audit.doubleSuccessesInReadModel.length === 0;
      if (clean || Date.now() > deadline) return { ...audit, tries };
      await sleep(1_000);
    }
  } finally {
    await sql.close();
    await log.close();
  }
}

/** Distinct executor ids recorded on the attempts of `runIds` (from the read model). */
export async function executorIdsOf(
  databaseUrl: string,
  runIds: readonly string[],
): Promise<Map<string, number>> {
  const sql = new PgSqlClient({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const rows = await sql.query<{ executor_id: string; n: number }>(
      `SELECT executor_id, count(*)::int AS n FROM step_attempts
        WHERE executor_id IS NOT NULL AND run_id IN (SELECT jsonb_array_elements_text($1::jsonb))
        GROUP BY executor_id`,
      [JSON.stringify(runIds)],
    );
    return new Map(rows.map((r) => [r.executor_id, r.n]));
  } finally {
    await sql.close();
  }
}
