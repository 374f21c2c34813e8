import { join } from 'node:path';
import { EmbeddedEventLog } from '@baton/eventlog';
import { PGliteSqlClient } from '@baton/sql';
import { BatonApi, isTerminal } from './support/api-client';
import { freePort, seconds, tempDir } from './support/env';
import { auditLog, expectCleanAudit, type LogAudit } from './support/invariants';
import { ProcessGroup, sleep, type BatonProcess } from './support/processes';
import {
  cancelScenario,
  concurrentScenario,
  diamondScenario,
  expectCrashRunsSucceeded,
  pushWorkflows,
  retryScenario,
  startCrashRuns,
  timeoutScenario,
  type SuiteWorkflows,
} from './support/scenarios';

// The all-in-one process (API, engine, projector, executor pool) on the
// embedded default: its own log and PGlite in a temp data dir, no servers.
// The tests share one process and run in order; the last two stop it, check
// the data dir offline, and start it again on the same dir.

jest.setTimeout(180_000);

describe('all-in-one process on the embedded default', () => {
  const dir = tempDir('embedded');
  const dataDir = join(dir.path, 'data');
  const group = new ProcessGroup(dir.path);
  let baton: BatonProcess;
  let api: BatonApi;
  let workflows: SuiteWorkflows;
  const runIds: string[] = [];
  const figures: string[] = [];
  const suiteStarted = Date.now();
  let failures = 0;
  let setupDone = false;
  const verdict = () => (!setupDone ? 'setup failed' : failures === 0 ? 'passed' : `${failures} failed`);

  const guarded = (body: () => Promise<void>) => async () => {
    try {
      await group.guard(body);
    } catch (error) {
      failures++;
      throw error;
    }
  };

  /** Stops the process (graceful), opens its log and PGlite offline, audits every run so far. */
  const auditDataDir = async (): Promise<LogAudit> => {
    await baton.stop();
    const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log') });
    const sql = await PGliteSqlClient.open({ dataDir: join(dataDir, 'db') });
    try {
      return await auditLog(log, sql, runIds);
    } finally {
      await sql.close();
      await log.close();
    }
  };

  beforeAll(async () => {
    const port = await freePort();
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port,
      env: {
        BATON_DATA_DIR: dataDir,
        BATON_EXAMPLES_DIR: '',
        BATON_EXECUTOR_SLOTS: '8',
        BATON_LEASE_MS: '3000',
      },
    });
    const began = Date.now();
    await group.guard(() => baton.start());
    figures.push(`start ${seconds(Date.now() - began)}`);
    api = new BatonApi(baton.url);
    workflows = await pushWorkflows(api, 'embedded');
    setupDone = true;
  });

  afterAll(async () => {
    await group.stopAll();
    console.log(
      `e2e embedded: ${verdict()}; ${runIds.length} runs; ` +
        `${figures.join('; ')}; total ${seconds(Date.now() - suiteStarted)}; logs ${dir.path}`,
    );
    if (setupDone && failures === 0) dir.remove();
  });

  it(
    'runs a diamond with params and a condition, taken and skipped',
    guarded(async () => {
      runIds.push(...(await diamondScenario(api, workflows.diamond)));
    }),
  );

  it(
    'retries a failing shell step and keeps both attempts and their logs',
    guarded(async () => {
      runIds.push(...(await retryScenario(api, workflows.retry)));
    }),
  );

  it(
    'times out a 30 s step after 1 s, fails the run and kills the processes',
    guarded(async () => {
      runIds.push(...(await timeoutScenario(api, workflows.timeout, dir.path)));
    }),
  );

  it(
    'cancels a running run: the run and its step cancelled, the processes killed',
    guarded(async () => {
      runIds.push(...(await cancelScenario(api, workflows.cancel, dir.path)));
    }),
  );

  it(
    'finishes 200 concurrent runs as asked, and the read model equals the fold of the log',
    guarded(async () => {
      const result = await concurrentScenario(api, workflows.small, 200);
      runIds.push(...result.runIds);
      figures.push(
        `200 runs (${result.succeeded} ok, ${result.failed} failing) accepted in ${seconds(result.startMs)}, ` +
          `all terminal in ${seconds(result.totalMs)}`,
      );
      const began = Date.now();
      const audit = await auditDataDir();
      figures.push(`audit of ${audit.figures.events} events ${seconds(Date.now() - began)}`);
      expectCleanAudit(audit);
    }),
  );

  it(
    'survives SIGKILL with 50 runs in flight: every run completes once after restart',
    guarded(async () => {
      const restartBegan = Date.now();
      await baton.start();
      figures.push(`restart after stop ${seconds(Date.now() - restartBegan)}`);
      const marks = join(dir.path, 'marks.txt');
      const began = Date.now();
      const crashRuns = await startCrashRuns(api, workflows.crash, 50, marks, 'embedded-crash');
      runIds.push(...crashRuns);
      // Kill once work is well under way but far from done.
      await api.waitForAll(crashRuns.slice(0, 5), (r) => r.lastSeq >= 6, 30_000);
      const before = await api.listRuns(workflows.crash);
      const inFlight = before.filter((r) => !isTerminal(r)).length;
      await baton.kill();
      const killedAt = Date.now();
      await sleep(300);
      await baton.start();
      const upMs = Date.now() - killedAt;
      await api.waitForAll(crashRuns, isTerminal, 120_000);
      const recoverMs = Date.now() - killedAt;
      const result = await expectCrashRunsSucceeded(api, crashRuns, marks, 'embedded-crash');
      const audit = await auditDataDir();
      figures.push(
        `SIGKILL with ${inFlight}/50 runs in flight (${before.length} projected) after ${seconds(killedAt - began)}: ` +
          `up again in ${seconds(upMs)}, all 50 done ${seconds(recoverMs)} after the kill; ` +
          `${audit.figures.platformFailures} platform retries, ${result.reExecutions} shell re-executions, ` +
          `${audit.figures.rejections} rejected commands`,
      );
      expectCleanAudit(audit);
    }),
  );
});
