import { seconds, tempDir } from './support/env';
import { expectCleanAudit } from './support/invariants';
import {
  auditKafka,
  executorIdsOf,
  startKafkaCluster,
  waitForEngineOwnership,
  type KafkaCluster,
} from './support/kafka-cluster';
import {
  cancelScenario,
  concurrentScenario,
  diamondScenario,
  pushWorkflows,
  retryScenario,
  timeoutScenario,
  type SuiteWorkflows,
} from './support/scenarios';

// The distributed layout: api, engine, projector and two executors of one
// pool as separate processes on a real Kafka broker (BATON_KAFKA_BROKERS) and
// a fresh PostgreSQL database (made through BATON_TEST_DATABASE_URL). Topics
// persist on the broker across suites, so every workflow and request id is
// unique to this test run, and the audit reads only this suite's runs.

jest.setTimeout(180_000);

describe('separate processes on Kafka and PostgreSQL', () => {
  const dir = tempDir('kafka');
  let cluster: KafkaCluster;
  let workflows: SuiteWorkflows;
  const runIds: string[] = [];
  const figures: string[] = [];
  const suiteStarted = Date.now();
  let failures = 0;
  let setupDone = false;
  const verdict = () => (!setupDone ? 'setup failed' : failures === 0 ? 'passed' : `${failures} failed`);

  const guarded = (body: () => Promise<void>) => async () => {
    try {
      await cluster.group.guard(body);
    } catch (error) {
      failures++;
      throw error;
    }
  };

  beforeAll(async () => {
    const began = Date.now();
    cluster = await startKafkaCluster({
      suite: 'kafka',
      dir: dir.path,
      executorCount: 2,
      leaseMs: 10_000,
      executorSlots: 4,
    });
    const owned = await cluster.group.guard(() => waitForEngineOwnership(cluster.engine));
    figures.push(
      `5 processes up in ${seconds(Date.now() - began)} (engine owned all partitions ${seconds(owned.ms)} after spawn, ${owned.runs} runs restored)`,
    );
    workflows = await pushWorkflows(cluster.api, 'kafka');
    setupDone = true;
  });

  afterAll(async () => {
    await cluster?.dispose(!setupDone || failures > 0);
    console.log(
      `e2e kafka: ${verdict()}; ${runIds.length} runs; ` +
        `${figures.join('; ')}; total ${seconds(Date.now() - suiteStarted)}; logs ${dir.path}`,
    );
    if (setupDone && failures === 0) dir.remove();
  });

  it(
    'runs a diamond with params and a condition, taken and skipped',
    guarded(async () => {
      runIds.push(...(await diamondScenario(cluster.api, workflows.diamond)));
    }),
  );

  it(
    'retries a failing shell step and keeps both attempts and their logs',
    guarded(async () => {
      runIds.push(...(await retryScenario(cluster.api, workflows.retry)));
    }),
  );

  it(
    'times out a 30 s step after 1 s, fails the run and kills the processes',
    guarded(async () => {
      runIds.push(...(await timeoutScenario(cluster.api, workflows.timeout, dir.path)));
    }),
  );

  it(
    'cancels a running run: the run and its step cancelled, the processes killed',
    guarded(async () => {
      runIds.push(...(await cancelScenario(cluster.api, workflows.cancel, dir.path)));
    }),
  );

  it(
    'finishes 200 concurrent runs as asked, with both executors of the pool taking work',
    guarded(async () => {
      const result = await concurrentScenario(cluster.api, workflows.small, 200);
      runIds.push(...result.runIds);
      const byExecutor = await executorIdsOf(cluster.databaseUrl, result.runIds);
      const pids = cluster.executors.map((e) => e.pid);
      const attemptsPerProcess = pids.map((pid) =>
        [...byExecutor].filter(([id]) => id.includes(`-${pid}-`)).reduce((a, [, n]) => a + n, 0),
      );
      figures.push(
        `200 runs (${result.succeeded} ok, ${result.failed} failing) accepted in ${seconds(result.startMs)}, ` +
          `all terminal in ${seconds(result.totalMs)}; attempts per executor ${attemptsPerProcess.join('/')}`,
      );
      // Every attempt was run by one of the two executor processes, and each ran some.
      expect([...byExecutor.keys()].filter((id) => !pids.some((pid) => id.includes(`-${pid}-`)))).toEqual([]);
      expect(attemptsPerProcess.every((n) => n > 0)).toBe(true);
    }),
  );

  it(
    'has a read model equal to the fold of the Kafka log, with no step succeeded twice',
    guarded(async () => {
      const began = Date.now();
      const audit = await auditKafka(cluster, runIds);
      figures.push(
        `audit of ${audit.figures.events} events in ${seconds(Date.now() - began)} (${audit.tries} reads)`,
      );
      expectCleanAudit(audit);
    }),
  );
});
