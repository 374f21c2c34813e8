import type { BatonApi, RunSummary } from './api-client';
import { call } from './parity-scenarios';
import type { BatonProcess } from './processes';
import { sleep } from './processes';

/** The tick interval of the scenario's trigger. */
export const CRON_PERIOD_MS = 2_000;

export interface CronAcrossRestart {
  /** Tick instants (epoch ms) of every run the trigger started, ascending, one per run. */
  readonly ticks: readonly number[];
  /** Request ids seen more than once (should be none). */
  readonly duplicates: readonly string[];
  /** When the process was killed, and when it answered again. */
  readonly killedAt: number;
  readonly backAt: number;
  /** Runs whose tick fell while the process was down. */
  readonly caughtUp: readonly RunSummary[];
}

/**
 * A cron trigger (every 2 s) ticks; the process is killed (SIGKILL) and stays
 * down for `downMs`; once it is back the trigger goes on, and the ticks it
 * missed meanwhile are started late (the scheduler looks back 60 s on start),
 * each once: a run's request id names its tick.
 */
export async function cronAcrossRestartScenario(
  api: BatonApi,
  process: BatonProcess,
  workflowId: string,
  downMs: number,
): Promise<CronAcrossRestart> {
  await api.push(`
id: ${workflowId}
triggers:
  cron:
    - schedule: '*/2 * * * * *'
      timezone: UTC
steps:
  - id: tick
    type: noop
`);
  await waitForRuns(api, workflowId, (runs) => runs.length >= 2, 30_000);
  await process.kill();
  const killedAt = Date.now();
  await sleep(downMs);
  await process.start();
  const backAt = Date.now();
  // Ticks after the restart too, then no more.
  await waitForRuns(api, workflowId, (runs) => runs.some((r) => tickOf(r) > backAt + CRON_PERIOD_MS), 30_000);
  await call(api, 'POST', `/api/v1/workflows/${workflowId}/deactivate`, {}, [200, 202, 204]);
  await sleep(CRON_PERIOD_MS * 2);
  const runs = await api.listRuns(workflowId);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const run of runs) {
    if (seen.has(run.requestId)) duplicates.push(run.requestId);
    seen.add(run.requestId);
  }
  const ticks = [...new Set(runs.map(tickOf))].sort((a, b) => a - b);
  const caughtUp = runs.filter((r) => tickOf(r) > killedAt && tickOf(r) < backAt);
  return { ticks, duplicates, killedAt, backAt, caughtUp };
}

/** `cron:<trigger index>:<ISO tick>`. */
function tickOf(run: RunSummary): number {
  return Date.parse(run.requestId.slice(run.requestId.indexOf(':', 5) + 1));
}

async function waitForRuns(
  api: BatonApi,
  workflowId: string,
  done: (runs: RunSummary[]) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await api.listRuns(workflowId).catch(() => []);
    if (done(runs)) return;
    if (Date.now() > deadline) throw new Error(`${workflowId}: ${runs.length} runs after ${timeoutMs} ms`);
    await sleep(250);
  }
}
