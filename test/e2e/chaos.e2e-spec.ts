import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal } from './support/api-client';
import { startChaosCluster, terminalStatusEvents, type ChaosCluster } from './support/chaos-cluster';
import { seconds, seededRandom, shuffle, tempDir, uniqueWorkflowId } from './support/env';
import { expectCleanAudit } from './support/invariants';
import { auditKafka } from './support/kafka-cluster';
import { sleep, type BatonProcess } from './support/processes';
import { requestId } from './support/scenarios';
import { expectMarkersClean, markedWorkflow, readMarkers } from './support/step-markers';

// Chaos on the distributed layout (issue 12): while runs keep arriving, every
// process kind is SIGKILLed at a seeded random moment (engine, executor
// mid-step, projector, archiver, api), an engine is SIGSTOPped for longer
// than the Kafka session timeout, both engines die within seconds of each
// other, and the executor of a step longer than its lease is killed. Then a
// quiet period, in which every run must end by itself within BOUND_MS, and:
// every run succeeded with one successful attempt per step, no attempt was
// run by two processes, no two attempts of a step overlapped, no step
// process outlived its executor, the read model equals the fold of the log,
// and each run has exactly one terminal status event. E2E_CHAOS_SEED replays
// a schedule; the seed is printed either way.
//
// The soak (scripts/chaos-soak.sh, outside CI) runs the same suite longer:
// E2E_CHAOS_RUNS runs, the fault schedule repeated E2E_CHAOS_ROUNDS times
// (reshuffled each round), or E2E_CHAOS_ROUNDS=0 for the fault-free baseline.

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
jest.setTimeout(env('E2E_CHAOS_TIMEOUT_MS', 300_000));

const LEASE_MS = 3_000;
const SESSION_TIMEOUT_MS = 3_000;
/** After the last fault is over (every process up again), every run is terminal within this. */
const BOUND_MS = 60_000;
/** Runs arrive one every LOAD_EVERY_MS while the faults go on, MAX_RUNS at most. */
const LOAD_EVERY_MS = env('E2E_CHAOS_LOAD_EVERY_MS', 1_000);
const MAX_RUNS = env('E2E_CHAOS_RUNS', 120);
const ROUNDS = env('E2E_CHAOS_ROUNDS', 1);

type Fault =
  | 'kill-engine'
  | 'kill-executor-mid-step'
  | 'kill-projector'
  | 'kill-archiver'
  | 'kill-api'
  | 'stop-engine'
  | 'kill-both-engines'
  | 'kill-long-step-executor';

const FAULTS: readonly Fault[] = [
  'kill-engine',
  'kill-executor-mid-step',
  'kill-projector',
  'kill-archiver',
  'kill-api',
  'stop-engine',
  'kill-both-engines',
  'kill-long-step-executor',
];

describe('chaos: every process kind killed, an engine paused, on Kafka with runs arriving', () => {
  const dir = tempDir('chaos');
  const seed = Number(process.env.E2E_CHAOS_SEED ?? Date.now() % 2 ** 31);
  const random = seededRandom(seed);
  const marks = join(dir.path, 'marks.txt');
  const mainId = uniqueWorkflowId('chaos', 'main');
  const longId = uniqueWorkflowId('chaos', 'long');
  let cluster: ChaosCluster;
  const log: string[] = [];
  let failed = false;

  beforeAll(async () => {
    console.log(`e2e chaos: seed ${seed} (E2E_CHAOS_SEED=${seed} replays this schedule)`);
    cluster = await startChaosCluster({
      suite: 'chaos',
      dir: dir.path,
      leaseMs: LEASE_MS,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      executorSlots: 4,
    });
    await cluster.api.push(
      markedWorkflow(mainId, [
        { id: 'extract', ticks: 5 },
        { id: 'transform', ticks: 5 },
        { id: 'load', ticks: 3 },
      ]),
    );
    // 8 s: longer than the lease, so it lives on heartbeats when its executor dies.
    await cluster.api.push(markedWorkflow(longId, [{ id: 'long', ticks: 40 }]));
  });

  afterAll(async () => {
    console.log(
      `e2e chaos: ${failed ? 'FAILED' : 'passed'}; seed ${seed}; ${log.join('; ')}; logs ${dir.path}`,
    );
    await cluster?.dispose(failed);
    if (!failed) dir.remove();
  });

  it('ends every run exactly once, with no step run twice at once, after every kind of fault', async () => {
    try {
      await cluster.group.guard(async () => {
        const began = Date.now();
        const runIds: string[] = [];
        let tags = 0;
        const start = async (workflowId: string): Promise<string | null> => {
          const tag = `t${tags++}`;
          try {
            const runId = await cluster.api.start(workflowId, { marks, tag }, requestId(`chaos-${tag}`));
            runIds.push(runId);
            return runId;
          } catch {
            return null; // the api is down right now: the request was never accepted
          }
        };
        let loading = true;
        const requests: Promise<unknown>[] = [];
        const load = (async () => {
          while (loading && requests.length < MAX_RUNS) {
            requests.push(start(mainId));
            await sleep(LOAD_EVERY_MS);
          }
        })();

        let kills = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const schedule = shuffle([...FAULTS], random);
          log.push(`round ${round + 1}: ${schedule.join(',')}`);
          for (const fault of schedule) {
            await sleep(500 + random() * 2_000);
            const at = Date.now();
            const what = await inject(fault, start);
            kills += fault === 'stop-engine' ? 0 : fault === 'kill-both-engines' ? 2 : 1;
            log.push(
              `${fault}@${seconds(at - began)}${what ? `(${what})` : ''} over in ${seconds(Date.now() - at)}`,
            );
          }
        }
        log.push(`${kills} kills and ${ROUNDS} pauses in ${seconds(Date.now() - began)}`);
        // With faults, runs arrive while they last; the fault-free baseline starts all of MAX_RUNS.
        if (ROUNDS > 0) loading = false;
        await load;
        await Promise.all(requests);
        const faultsOver = Date.now();

        // Quiet period: no more faults, no more runs; everything must end by itself.
        await cluster.api.waitForAll(runIds, isTerminal, BOUND_MS);
        log.push(
          `${runIds.length} runs terminal ${seconds(Date.now() - faultsOver)} after the faults (bound ${seconds(BOUND_MS)})`,
        );

        const runs = await Promise.all(runIds.map((id) => cluster.api.getRun(id)));
        log.push(`run end-to-end ${endToEnd(runs)}`);
        const notSucceeded = runs
          .filter((run) => run?.status !== 'succeeded')
          .map((run) => `${run?.runId}: ${run?.status}`);
        expect(notSucceeded).toEqual([]);

        const markers = readMarkers(marks);
        log.push(
          `${markers.copies} step processes, ${markers.killed} killed before their end, ${markers.reExecutedSteps} steps re-run in a later attempt (${markers.reRunAfterEnd} after a copy had ended)`,
        );
        expectMarkersClean(markers);
        log.push(executorFigures(cluster.executors));

        const audit = await auditKafka(cluster, runIds);
        log.push(
          `${audit.figures.attempts} attempts, ${audit.figures.platformFailures} platform retries, ${audit.figures.rejections} rejected commands`,
        );
        expectCleanAudit(audit);
        const terminalEvents = new Map<string, number>();
        for (const event of audit.events) {
          if (event.type === 'RunSucceeded' || event.type === 'RunFailed' || event.type === 'RunCancelled') {
            terminalEvents.set(event.runId, (terminalEvents.get(event.runId) ?? 0) + 1);
          }
        }
        expect(runIds.filter((id) => terminalEvents.get(id) !== 1)).toEqual([]);
        const statuses = await terminalStatusEvents(cluster.brokers, runIds);
        expect([...statuses].filter(([, types]) => types.length !== 1)).toEqual([]);
      });
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  /** Injects one fault and returns once every process is up again; answers a note for the summary. */
  async function inject(
    fault: Fault,
    start: (workflowId: string) => Promise<string | null>,
  ): Promise<string> {
    switch (fault) {
      case 'kill-engine':
        return killAndRestart(pick(cluster.engines));
      case 'kill-projector':
        return killAndRestart(cluster.projector);
      case 'kill-archiver':
        return killAndRestart(cluster.archiver);
      case 'kill-api':
        return killAndRestart(cluster.apiProcess);
      case 'kill-executor-mid-step': {
        const victim = await busiestExecutor();
        const busy = await victim.metric('baton_executor_slots_busy');
        return `${await killAndRestart(victim)}, ${busy} busy slots`;
      }
      case 'stop-engine': {
        const victim = pick(cluster.engines);
        const pausedMs = SESSION_TIMEOUT_MS + 3_000;
        process.kill(victim.pid!, 'SIGSTOP');
        await sleep(pausedMs);
        process.kill(victim.pid!, 'SIGCONT');
        return `${victim.name} paused ${seconds(pausedMs)}`;
      }
      case 'kill-both-engines': {
        const [first, second] = shuffle([...cluster.engines], random);
        await first.kill();
        const gapMs = 300 + random() * 1_700;
        await sleep(gapMs);
        await second.kill();
        await sleep(random() * 1_000);
        await Promise.all([first.start(), second.start()]);
        return `${first.name} then ${second.name} ${seconds(gapMs)} later`;
      }
      case 'kill-long-step-executor': {
        const runId = await start(longId);
        const holder = await executorRunning(runId === null ? null : 'long');
        return `${await killAndRestart(holder)} while it ran a step longer than the lease`;
      }
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }

  async function killAndRestart(victim: BatonProcess): Promise<string> {
    await victim.kill();
    const downMs = random() * 1_000;
    await sleep(downMs);
    await victim.start();
    return `${victim.name} down ${seconds(downMs)}`;
  }

  async function busiestExecutor(): Promise<BatonProcess> {
    for (let i = 0; i < 50; i++) {
      const busy = await Promise.all(cluster.executors.map((e) => e.metric('baton_executor_slots_busy')));
      const most = Math.max(...busy);
      if (most > 0) return cluster.executors[busy.indexOf(most)];
      await sleep(100);
    }
    return pick(cluster.executors);
  }

  /** The executor whose child runs a copy of `stepId` now (the step's shell is the executor's child). */
  async function executorRunning(stepId: string | null): Promise<BatonProcess> {
    const deadline = Date.now() + 30_000;
    while (stepId !== null && Date.now() < deadline) {
      const lines = readFileSync(marks, 'utf8').split('\n');
      const started = lines.filter((l) => l.startsWith('start ') && l.split(' ')[1].includes(`/${stepId}/`));
      const ended = new Set(lines.filter((l) => l.startsWith('end ')).map((l) => l.split(' ')[2]));
      for (const line of started.reverse()) {
        const pid = line.split(' ')[2];
        if (ended.has(pid)) continue;
        const parent = parentPid(Number(pid));
        const holder = cluster.executors.find((e) => e.pid === parent);
        if (holder) return holder;
      }
      await sleep(100);
    }
    return pick(cluster.executors);
  }

  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
  }
});

function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** p50/p95/max of created -> ended over the runs, for the summary line. */
function endToEnd(runs: ReadonlyArray<{ createdAt: number; endedAt: number | null } | null>): string {
  const ms = runs
    .flatMap((run) => (run && run.endedAt !== null ? [run.endedAt - run.createdAt] : []))
    .sort((a, b) => a - b);
  if (ms.length === 0) return 'n/a';
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return `p50 ${seconds(at(0.5))}, p95 ${seconds(at(0.95))}, max ${seconds(ms[ms.length - 1])}`;
}

/** How the executors' starts went, from their logs (all incarnations). */
function executorFigures(executors: readonly BatonProcess[]): string {
  const text = executors.map((e) => readFileSync(e.logFile, 'utf8')).join('\n');
  const count = (needle: string) => text.split(needle).length - 1;
  return (
    `${count('"msg":"attempt started"')} starts (${count('"confirm":true')} confirmed first), ` +
    `${count('"outcome":"refused"')} refused, ${count('"outcome":"unconfirmed"')} unanswered, ` +
    `${count('outcome is dropped')} stopped while running`
  );
}
