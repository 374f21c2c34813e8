import { sleep } from '../harness/api-client';
import type { ScenarioContext } from '../harness/context';
import { readProcUsage } from '../harness/procfs';
import { round } from '../harness/stats';
import { runOnBaton, type Figures } from '../workloads/baton-scenario';
import type { BenchSystem } from '../workloads/system';

/** Resident memory of every process of an idle installation, `settleMs` after it became healthy. */
export async function measureIdleRss(system: BenchSystem, settleMs: number): Promise<Figures> {
  await sleep(settleMs);
  let all = 0;
  let own = 0;
  for (const process of system.processes()) {
    const rss = readProcUsage(process.pid)?.rssBytes ?? 0;
    all += rss;
    if (process.own) own += rss;
  }
  return { rssMiB: round(all / 1024 ** 2), ownRssMiB: round(own / 1024 ** 2) };
}

export function idleRss(ctx: ScenarioContext): Promise<void> {
  const settleMs = ctx.smoke ? 500 : 5_000;
  return runOnBaton(ctx, 'idle-rss', { settleMs }, (system) => measureIdleRss(system, settleMs));
}
