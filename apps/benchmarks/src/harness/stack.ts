import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ApiClient, BENCH_ADMIN_TOKEN, sleep } from './api-client';
import { freePort } from '@baton/platform/free-port';
import { Service, type ServiceSpec } from './service';

export type Target = 'embedded' | 'kafka';

export interface StackOptions {
  readonly target: Target;
  /** Kafka only: engine and executor processes. */
  readonly engines?: number;
  readonly executors?: number;
  readonly runPartitions?: number;
  /** Kafka only: start the projector and archiver too (default true). */
  readonly readSide?: boolean;
  /** Processes whose name starts with this get `--cpu-prof` (embedded: "baton", kafka: "engine"...). */
  readonly profile?: string;
  /** Processes whose name starts with this report their heap after a full GC on demand (`Service.liveHeapBytes`). */
  readonly liveHeap?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Where the Kafka target's services are, from the harness's own environment. */
export interface KafkaEndpoints {
  readonly brokers: string;
  readonly databaseUrl: string;
}

export function kafkaEndpoints(): KafkaEndpoints {
  const databaseUrl = process.env.BATON_DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'the kafka target needs BATON_DATABASE_URL (and BATON_KAFKA_BROKERS) pointing at the services ' +
        'started by deploy/postgres/postgres.sh and deploy/kafka/kafka.sh',
    );
  }
  return { brokers: process.env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092', databaseUrl };
}

/**
 * A running Baton installation the harness owns: the all-in-one process on
 * a fresh data directory (embedded), or separate processes on Kafka and
 * PostgreSQL after deleting every `baton.*` topic, the consumer groups and the
 * read-model schema (kafka), so each stack starts from nothing.
 */
export class Stack {
  readonly api: ApiClient;
  readonly profileDir: string | null;

  private constructor(
    readonly options: StackOptions,
    readonly services: Service[],
    readonly workDir: string,
    profileDir: string | null,
  ) {
    const api = services.find((s) => s.name === 'baton' || s.name === 'api');
    if (!api) throw new Error('a stack needs an API process');
    this.api = new ApiClient(api.url);
    this.profileDir = profileDir;
  }

  static async start(root: string, options: StackOptions): Promise<Stack> {
    const workDir = mkdtempSync(join(tmpdir(), `baton-bench-${options.target}-`));
    const profileDir = options.profile ? join(workDir, 'profiles') : null;
    if (profileDir) mkdirSync(profileDir);
    const specs =
      options.target === 'embedded' ? await embeddedSpecs(workDir, options) : await kafkaSpecs(options);
    const withProfile = specs.map((spec) => ({
      ...spec,
      nodeArgs: [
        ...(profileDir && spec.name.startsWith(options.profile ?? '\u0000')
          ? profilerArgs(workDir, profileDir)
          : []),
        ...(spec.name.startsWith(options.liveHeap ?? '\u0000') ? liveHeapArgs(workDir) : []),
      ],
    }));
    // The engine first, so it owns every partition before work arrives (a rebalance is not measured).
    const services: Service[] = [];
    try {
      for (const spec of withProfile) {
        const service = Service.start(spec, root, workDir);
        services.push(service);
        if (spec.name.startsWith('engine')) await service.waitForLog(/listening on/, 60_000);
      }
      const stack = new Stack(options, services, workDir, profileDir);
      await stack.api.waitHealthy(60_000);
      for (const service of services) await service.waitForLog(/listening on/, 60_000);
      return stack;
    } catch (error) {
      // A half-started stack must not outlive the harness: its processes would hold ports and consumer groups.
      await Promise.all(services.map((service) => service.kill()));
      throw error;
    }
  }

  processes(): { name: string; pid: number }[] {
    return this.services.map((s) => ({ name: s.name, pid: s.pid }));
  }

  service(name: string): Service {
    const found = this.services.find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  /** Stops every process, API last. */
  async stop(): Promise<void> {
    const order = [...this.services].sort((a, b) => rank(a.name) - rank(b.name));
    for (const service of order) await service.stop();
  }
}

function rank(name: string): number {
  return name === 'api' ? 2 : name.startsWith('executor') ? 0 : 1;
}

/** The harness's admin token; no rate limit, since a benchmark's bursts of requests are the point. */
const BENCH_AUTH_ENV = { BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, BATON_RATE_LIMIT_PER_MINUTE: '0' };

async function embeddedSpecs(workDir: string, options: StackOptions): Promise<ServiceSpec[]> {
  return [
    {
      name: 'baton',
      script: 'dist/apps/baton/src/main.js',
      port: await freePort(),
      env: {
        BATON_EVENT_LOG: 'embedded',
        BATON_DATABASE_URL: '',
        BATON_DATA_DIR: join(workDir, 'data'),
        BATON_EXAMPLES_DIR: '',
        ...BENCH_AUTH_ENV,
        ...(options.runPartitions ? { BATON_RUN_PARTITIONS: String(options.runPartitions) } : {}),
        ...options.env,
      },
    },
  ];
}

async function kafkaSpecs(options: StackOptions): Promise<ServiceSpec[]> {
  const endpoints = kafkaEndpoints();
  await resetKafka(endpoints.brokers);
  await resetDatabase(endpoints.databaseUrl);
  const env: NodeJS.ProcessEnv = {
    BATON_EVENT_LOG: 'kafka',
    BATON_KAFKA_BROKERS: endpoints.brokers,
    BATON_DATABASE_URL: endpoints.databaseUrl,
    BATON_RUN_PARTITIONS: String(options.runPartitions ?? 8),
    ...BENCH_AUTH_ENV,
    ...options.env,
  };
  const spec = async (name: string, app: string): Promise<ServiceSpec> => ({
    name,
    script: `dist/apps/${app}/src/main.js`,
    port: await freePort(),
    env,
  });
  const specs: ServiceSpec[] = [];
  for (let i = 1; i <= (options.engines ?? 1); i++) specs.push(await spec(`engine-${i}`, 'engine'));
  specs.push(await spec('api', 'api'));
  if (options.readSide ?? true)
    specs.push(await spec('projector', 'projector'), await spec('archiver', 'archiver'));
  for (let i = 1; i <= (options.executors ?? 1); i++) specs.push(await spec(`executor-${i}`, 'executor'));
  return specs;
}

/** Deletes every `baton.*` topic and consumer group, and waits until the topics are gone. */
async function resetKafka(brokers: string): Promise<void> {
  const kafka = new Kafka({
    brokers: brokers.split(','),
    clientId: 'baton-bench',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith('baton.'));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith('baton'));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    for (let i = 0; i < 100; i++) {
      const left = (await admin.listTopics()).filter((t) => t.startsWith('baton.'));
      if (left.length === 0) break;
      await sleep(200);
    }
    // Kafka forgets a deleted topic's metadata a moment after listTopics stops showing it.
    await sleep(1_000);
  } finally {
    await admin.disconnect();
  }
}

async function resetDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
}

/**
 * `--cpu-prof` writes its profile only when the process exits by itself. Nest
 * answers SIGTERM by closing the app and then re-raising the signal; this
 * preload turns that second signal into `process.exit`, so the profile is written.
 */
function profilerArgs(workDir: string, profileDir: string): string[] {
  const preload = join(workDir, 'exit-on-second-sigterm.js');
  writeFileSync(
    preload,
    "let n = 0; process.on('SIGTERM', () => { if (++n >= 2) process.exit(0); });\n" +
      "process.on('SIGINT', () => { if (++n >= 2) process.exit(0); });\n",
  );
  return ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--require', preload];
}

/**
 * Heap used counts garbage until V8 happens to run a full collection, so it
 * only bounds what a process keeps. This preload answers SIGWINCH with a full
 * GC and a log line holding the heap used after it: what is really kept.
 * (SIGWINCH because Nest's shutdown hooks take SIGUSR2, and its default action is to do nothing.)
 */
function liveHeapArgs(workDir: string): string[] {
  const preload = join(workDir, 'live-heap-on-sigwinch.js');
  writeFileSync(
    preload,
    "process.on('SIGWINCH', () => { global.gc(); const bytes = process.memoryUsage().heapUsed;\n" +
      "  process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg: 'live heap', heapUsedBytes: bytes }) + '\\n'); });\n",
  );
  return ['--expose-gc', '--require', preload];
}
