import type { ScenarioContext } from '../harness/context';
import { median, percentile } from '../harness/stats';
import { runOnBaton, type Figures } from '../workloads/baton-scenario';
import type { BenchSystem, ChainTimes } from '../workloads/system';

export const W1_STEPS = 10;

/**
 * W1: one 10-step noop chain at a time on an idle installation, after one
 * warm-up run. run = request sent -> the run's end; start = request sent ->
 * the first step began; step-to-step = step n+1 began - step n ended.
 */
export async function measureW1(system: BenchSystem, chains: number): Promise<Figures> {
  await system.chain(W1_STEPS, 'w1-warmup');
  const runs: ChainTimes[] = [];
  for (let i = 0; i < chains; i++) runs.push(await system.chain(W1_STEPS, `w1-${i}`));
  return chainFigures(runs);
}

export function chainFigures(runs: readonly ChainTimes[]): Figures {
  const gaps = runs.flatMap((run) => run.stepStarts.slice(1).map((start, i) => start - run.stepEnds[i]));
  const starts = runs.map((run) => run.stepStarts[0] - run.sentAt);
  return {
    runMsP50: median(runs.map((run) => run.endedAt - run.sentAt)),
    stepToStepMsP50: percentile(gaps, 50),
    stepToStepMsP95: percentile(gaps, 95),
    startMsP50: percentile(starts, 50),
    startMsP95: percentile(starts, 95),
    runs: runs.length,
  };
}

export function w1Chain(ctx: ScenarioContext): Promise<void> {
  const chains = ctx.runs ?? (ctx.smoke ? 2 : 20);
  return runOnBaton(ctx, 'w1-chain', { steps: W1_STEPS, chains, stepType: 'noop' }, (system) =>
    measureW1(system, chains),
  );
}
