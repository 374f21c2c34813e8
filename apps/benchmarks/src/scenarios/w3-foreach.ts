import type { ScenarioContext } from '../harness/context';
import { round } from '../harness/stats';
import { W3_CONCURRENCY } from '../workloads/baton-system';
import { runOnBaton, type Figures } from '../workloads/baton-scenario';
import type { BenchSystem } from '../workloads/system';

/** W3: one run with `children` noop children; seconds = request sent -> the parent's end. */
export async function measureW3(system: BenchSystem, children: number): Promise<Figures> {
  const { sentAt, endedAt } = await system.fanout(children, `w3-${children}`);
  const seconds = (endedAt - sentAt) / 1000;
  return { seconds: round(seconds, 2), childrenPerSecond: round(children / seconds) };
}

export function w3Foreach(ctx: ScenarioContext): Promise<void> {
  const children = ctx.runs ?? (ctx.smoke ? 20 : 1000);
  return runOnBaton(ctx, 'w3-foreach', { children, concurrency: W3_CONCURRENCY }, (system) =>
    measureW3(system, children),
  );
}
