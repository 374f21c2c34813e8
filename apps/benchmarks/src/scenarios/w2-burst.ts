import type { ScenarioContext } from '../harness/context';
import { ProcessMonitor, type ProcessFigures } from '../harness/procfs';
import { round } from '../harness/stats';
import type { StepKind } from '../harness/workflows';
import { runOnBaton, type Figures } from '../workloads/baton-scenario';
import type { BenchSystem } from '../workloads/system';

export const W2_STEPS = 10;

/**
 * W2: `runs` chains of 10 steps submitted at once (every request in flight
 * together). steps/s = all steps / (first request sent -> last run ended);
 * accept = first request sent -> last submission accepted; CPU per step =
 * CPU seconds of all the installation's processes over the window / steps
 * (`own`: without Kafka and PostgreSQL).
 */
export async function measureW2(
  system: BenchSystem,
  runs: number,
  kind: StepKind,
  key: string,
): Promise<Figures> {
  const processes = system.processes();
  const monitor = new ProcessMonitor(processes);
  monitor.begin();
  const sentAt = Date.now();
  const { acceptedAt, lastEndedAt } = await system.burst(runs, W2_STEPS, kind, key);
  const usage = monitor.end();
  const own = new Set(processes.filter((p) => p.own).map((p) => p.name));
  return burstFigures(runs * W2_STEPS, { sentAt, acceptedAt, lastEndedAt }, usage.processes, own);
}

export function burstFigures(
  steps: number,
  times: { sentAt: number; acceptedAt: number; lastEndedAt: number },
  processes: readonly ProcessFigures[],
  own: ReadonlySet<string>,
): Figures {
  const cpu = (list: readonly ProcessFigures[]): number => list.reduce((sum, p) => sum + p.cpuSeconds, 0);
  return {
    stepsPerSecond: round(steps / ((times.lastEndedAt - times.sentAt) / 1000)),
    acceptSeconds: round((times.acceptedAt - times.sentAt) / 1000, 2),
    cpuMsPerStep: round((cpu(processes) * 1000) / steps, 2),
    ownCpuMsPerStep: round((cpu(processes.filter((p) => own.has(p.name))) * 1000) / steps, 2),
    windowSeconds: round((times.lastEndedAt - times.sentAt) / 1000, 2),
  };
}

export function w2Burst(ctx: ScenarioContext): Promise<void> {
  const runs = ctx.runs ?? (ctx.smoke ? 5 : 200);
  return runOnBaton(ctx, 'w2-burst', { runs, steps: W2_STEPS, kinds: ['noop', 'shell'] }, async (system) => {
    await measureW2(system, ctx.smoke ? 2 : 20, 'noop', 'warmup');
    const figures: Figures = {};
    for (const kind of system.stepKinds) {
      for (const [name, value] of Object.entries(await measureW2(system, runs, kind, kind)))
        figures[`${kind}.${name}`] = value;
    }
    return figures;
  });
}
