import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal } from './support/api-client';
import { seconds, seededRandom, shuffle, tempDir } from './support/env';
import { expectCleanAudit } from './support/invariants';
import {
  auditKafka,
  startKafkaCluster,
  waitForEngineOwnership,
  type KafkaCluster,
} from './support/kafka-cluster';
import { sleep, type BatonProcess } from './support/processes';
import {
  expectCrashRunsSucceeded,
  pushWorkflows,
  startCrashRuns,
  type SuiteWorkflows,
} from './support/scenarios';

// Crash tests on the distributed layout: 100 runs of a multi-step shell/noop
// DAG in flight while the engine, an executor and the projector are
// SIGKILLed at seeded random moments and restarted. Afterwards every run has
// succeeded, no step has two successful attempts, and the read model equals
// the fold of the Kafka log. E2E_CRASH_SEED replays a schedule; the seed is
// printed either way.

jest.setTimeout(300_000);

const RUNS = 100;
const LEASE_MS = 3_000;

type Victim = 'engine' | 'executor' | 'projector';

interface KillRecord {
  readonly victim: string;
  readonly atMs: number;
  readonly inFlight: number;
  readonly downMs: number;
  /** Executor only: slots running steps when it was killed. */
  readonly busySlots?: number;
  /** Engine only: spawn to owning every partition again. */
  readonly restoreMs?: number;
  readonly restoredRuns?: number;
}

describe('SIGKILL of engine, executor and projector on Kafka with 100 runs in flight', () => {
  const dir = tempDir('kafka-crash');
  const seed = Number(process.env.E2E_CRASH_SEED ?? Date.now() % 2 ** 31);
  const random = seededRandom(seed);
  let cluster: KafkaCluster;
  let workflows: SuiteWorkflows;
  const figures: string[] = [];
  const kills: KillRecord[] = [];
  const suiteStarted = Date.now();
  let failures = 0;
  let setupDone = false;
  const verdict = () => (!setupDone ? 'setup failed' : failures === 0 ? 'passed' : `${failures} failed`);

  beforeAll(async () => {
    console.log(`e2e kafka-crash: seed ${seed} (E2E_CRASH_SEED=${seed} replays this schedule)`);
    const began = Date.now();
    cluster = await startKafkaCluster({
      suite: 'crash',
      dir: dir.path,
      executorCount: 2,
      leaseMs: LEASE_MS,
      executorSlots: 4,
    });
    const owned = await cluster.group.guard(() => waitForEngineOwnership(cluster.engine));
    figures.push(
      `up in ${seconds(Date.now() - began)} (engine owned all partitions ${seconds(owned.ms)} after spawn, ${owned.runs} runs restored)`,
    );
    workflows = await pushWorkflows(cluster.api, 'crash');
    setupDone = true;
  });

  afterAll(async () => {
    await cluster?.dispose(!setupDone || failures > 0);
    const killText = kills
      .map(
        (k) =>
          `${k.victim}@${seconds(k.atMs)}(${k.inFlight} runs unfinished, healthy again after ${seconds(k.downMs)}` +
          `${k.busySlots === undefined ? '' : `, ${k.busySlots} busy slots`}` +
          `${k.restoreMs === undefined ? '' : `, owned all partitions ${seconds(k.restoreMs)} after restart, ${k.restoredRuns} runs restored`})`,
      )
      .join(', ');
    console.log(
      `e2e kafka-crash: ${verdict()}; seed ${seed}; ${RUNS} runs; ` +
        `${kills.length} kills: ${killText}; ${figures.join('; ')}; total ${seconds(Date.now() - suiteStarted)}; logs ${dir.path}`,
    );
    if (setupDone && failures === 0) dir.remove();
  });

  it('completes every run exactly once and keeps the read model equal to the fold of the log', async () => {
    try {
      await cluster.group.guard(async () => {
        const marks = join(dir.path, 'marks.txt');
        const began = Date.now();
        const runIds = await startCrashRuns(cluster.api, workflows.crash, RUNS, marks, 'crash');
        figures.push(`${RUNS} runs accepted in ${seconds(Date.now() - began)}`);

        // Every kind of process dies at least once; two more victims drawn at random.
        const victims: Victim[] = shuffle(
          [
            'engine',
            'executor',
            'projector',
            pick(['engine', 'executor', 'projector']),
            pick(['engine', 'executor']),
          ],
          random,
        );
        // Kills overlap: a victim restarts in the background (joining its consumer group waits
        // for the dead member's session to expire), and the next kill may come meanwhile.
        const restarting = new Map<BatonProcess, Promise<void>>();
        const allRestarts: Promise<void>[] = [];
        for (const victim of victims) {
          await sleep(300 + random() * 1_700);
          const target = await processFor(victim, restarting);
          await restarting.get(target);
          // An executor dies while it runs steps (else its death proves nothing): wait a little for work.
          let busy = 0;
          for (let i = 0; victim === 'executor' && i < 50 && busy === 0; i++) {
            busy = await target.metric('baton_executor_slots_busy');
            if (busy === 0) await sleep(100);
          }
          // Finished work as the marks file tells it (the read model may lag: the projector dies too).
          const terminal = finishedRuns(marks);
          const atMs = Date.now() - began;
          await target.kill();
          const killedAt = Date.now();
          const downFor = random() * 1_000;
          const restart = (async () => {
            await sleep(downFor);
            await target.start();
            const record: KillRecord = {
              victim: target.name,
              atMs,
              inFlight: RUNS - terminal,
              ...(victim === 'executor' ? { busySlots: busy } : {}),
              downMs: Date.now() - killedAt,
            };
            if (victim === 'engine') {
              const owned = await waitForEngineOwnership(target);
              kills.push({ ...record, restoreMs: owned.ms, restoredRuns: owned.runs });
            } else {
              kills.push(record);
            }
          })().finally(() => restarting.delete(target));
          restarting.set(target, restart);
          allRestarts.push(restart);
        }
        await Promise.all(allRestarts);
        kills.sort((a, b) => a.atMs - b.atMs);
        const lastKill = Date.now();
        await cluster.api.waitForAll(runIds, isTerminal, 180_000);
        figures.push(
          `all runs terminal ${seconds(Date.now() - began)} after start (${seconds(Date.now() - lastKill)} after the last restart)`,
        );
        const result = await expectCrashRunsSucceeded(cluster.api, runIds, marks, 'crash');

        const auditBegan = Date.now();
        const audit = await auditKafka(cluster, runIds);
        figures.push(
          `${audit.figures.attempts} attempts, ${audit.figures.platformFailures} platform retries, ` +
            `${result.reExecutions} shell re-executions, ${audit.figures.rejections} rejected commands; ` +
            `audit of ${audit.figures.events} events ${seconds(Date.now() - auditBegan)} (${audit.tries} reads)`,
        );
        expectCleanAudit(audit);
      });
    } catch (error) {
      failures++;
      throw error;
    }
  });

  /** The executor victim is the busier one that is up (ties: random). */
  async function processFor(
    victim: Victim,
    restarting: Map<BatonProcess, Promise<void>>,
  ): Promise<BatonProcess> {
    if (victim === 'engine') return cluster.engine;
    if (victim === 'projector') return cluster.projector;
    const up = cluster.executors.filter((e) => e.running && restarting.get(e) === undefined);
    const candidates = up.length > 0 ? up : cluster.executors;
    const busy = await Promise.all(candidates.map((e) => e.metric('baton_executor_slots_busy')));
    const most = Math.max(...busy);
    return pick(candidates.filter((_, i) => busy[i] === most));
  }

  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
  }
});

/** Runs whose last shell step has run at least once (so little or nothing is left of them). */
function finishedRuns(marksFile: string): number {
  if (!existsSync(marksFile)) return 0;
  const lines = readFileSync(marksFile, 'utf8').split('\n');
  return new Set(lines.filter((l) => l.split(' ')[1] === 'load').map((l) => l.split(' ')[0])).size;
}
