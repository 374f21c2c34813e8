import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedEventLog } from '@baton/eventlog';
import { PGliteSqlClient } from '@baton/sql';
import { BatonApi, isTerminal } from './support/api-client';
import { CHAOS_TOKEN } from './support/chaos-cluster';
import { freePort, seconds, seededRandom, tempDir, uniqueWorkflowId } from './support/env';
import { auditLog, expectCleanAudit, isAlive } from './support/invariants';
import { ProcessGroup, sleep } from './support/processes';
import { requestId } from './support/scenarios';
import { expectMarkersClean, markedWorkflow, readMarkers } from './support/step-markers';

// The embedded all-in-one process under repeated `kill -9` (issue 12): runs
// with shell steps, some longer than the lease, and the process SIGKILLed
// KILLS times at seeded random moments while steps run. Each time, the step
// processes it was running die with it (the group death guard); after the
// last restart and a quiet period, every run succeeded, no attempt ran in
// two processes, no two attempts of a step overlapped, and the read model
// equals the fold of the log. E2E_CHAOS_SEED replays a schedule.

jest.setTimeout(240_000);

const RUNS = 24;
const KILLS = 4;
const LEASE_MS = 3_000;
const BOUND_MS = 90_000;

describe('chaos: the embedded all-in-one after repeated kill -9, step processes included', () => {
  const dir = tempDir('chaos-embedded');
  const dataDir = join(dir.path, 'data');
  const marks = join(dir.path, 'marks.txt');
  const seed = Number(process.env.E2E_CHAOS_SEED ?? Date.now() % 2 ** 31);
  const random = seededRandom(seed);
  const group = new ProcessGroup(dir.path);
  const figures: string[] = [];
  let failed = false;

  afterAll(async () => {
    console.log(
      `e2e chaos-embedded: ${failed ? 'FAILED' : 'passed'}; seed ${seed}; ${figures.join('; ')}; logs ${dir.path}`,
    );
    await group.stopAll();
    if (!failed) dir.remove();
  });

  it('ends every run exactly once, and no step process outlives a kill -9', async () => {
    try {
      await group.guard(async () => {
        console.log(`e2e chaos-embedded: seed ${seed} (E2E_CHAOS_SEED=${seed} replays this schedule)`);
        const baton = group.add({
          name: 'baton',
          app: 'baton',
          port: await freePort(),
          env: {
            BATON_DATA_DIR: dataDir,
            BATON_EXAMPLES_DIR: '',
            BATON_LEASE_MS: String(LEASE_MS),
            BATON_ADMIN_TOKEN: CHAOS_TOKEN,
            BATON_LOG_LEVEL: 'info',
          },
        });
        await baton.start();
        const api = new BatonApi(baton.url, CHAOS_TOKEN);
        const workflowId = uniqueWorkflowId('chaos-embedded', 'marked');
        // 1.2 s, 6 s (twice the lease: it lives on heartbeats), 0.4 s.
        await api.push(
          markedWorkflow(workflowId, [
            { id: 'extract', ticks: 6 },
            { id: 'crunch', ticks: 30 },
            { id: 'load', ticks: 2 },
          ]),
        );
        const runIds = await api.startMany(
          Array.from({ length: RUNS }, (_, i) => ({
            workflowId,
            params: { marks, tag: `e${i}` },
            requestId: requestId(`chaos-embedded-${i}`),
          })),
          8,
        );
        const began = Date.now();

        let guarded = 0;
        for (let kill = 0; kill < KILLS; kill++) {
          await sleep(1_500 + random() * 3_000);
          const running = runningStepPids(marks);
          await baton.kill();
          const killedAt = Date.now();
          // The guard's `sh` sees its pipe close and kills the step's group: well under a second.
          while (running.some(isAlive) && Date.now() - killedAt < 5_000) await sleep(50);
          expect(running.filter(isAlive)).toEqual([]);
          guarded += running.length;
          await sleep(random() * 1_000);
          await baton.start();
          figures.push(
            `kill ${kill + 1}@${seconds(killedAt - began)}: ${running.length} step processes died with it`,
          );
        }
        const lastStart = Date.now();

        await api.waitForAll(runIds, isTerminal, BOUND_MS);
        figures.push(`${RUNS} runs terminal ${seconds(Date.now() - lastStart)} after the last restart`);
        const runs = await Promise.all(runIds.map((id) => api.getRun(id)));
        expect(runs.filter((run) => run?.status !== 'succeeded').map((run) => run?.runId)).toEqual([]);
        expect(guarded).toBeGreaterThan(0);

        const markers = readMarkers(marks);
        figures.push(
          `${markers.copies} step processes, ${markers.killed} killed, ${markers.reExecutedSteps} steps re-run in a later attempt (${markers.reRunAfterEnd} after a copy had ended)`,
        );
        expectMarkersClean(markers);

        await baton.stop();
        const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log') });
        const sql = await PGliteSqlClient.open({ dataDir: join(dataDir, 'db') });
        try {
          const audit = await auditLog(log, sql, runIds);
          figures.push(
            `${audit.figures.attempts} attempts, ${audit.figures.platformFailures} platform retries`,
          );
          expectCleanAudit(audit);
          const terminal = new Map<string, number>();
          for (const event of audit.events) {
            if (
              event.type === 'RunSucceeded' ||
              event.type === 'RunFailed' ||
              event.type === 'RunCancelled'
            ) {
              terminal.set(event.runId, (terminal.get(event.runId) ?? 0) + 1);
            }
          }
          expect(runIds.filter((id) => terminal.get(id) !== 1)).toEqual([]);
        } finally {
          await sql.close();
          await log.close();
        }
      });
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});

/** Pids of the marked step shells that started and have not ended (nor died) yet. */
function runningStepPids(file: string): number[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const started = new Set<number>();
  for (const line of text.split('\n')) {
    const [kind, , pid] = line.split(' ');
    if (kind === 'start') started.add(Number(pid));
    if (kind === 'end') started.delete(Number(pid));
  }
  return [...started].filter(isAlive);
}
