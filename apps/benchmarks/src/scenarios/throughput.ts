import type { ScenarioContext } from '../harness/context';
import { runDagLoad, type LoadFigures } from '../harness/load';
import { machine, printReport } from '../harness/report';
import { Stack } from '../harness/stack';
import { median } from '../harness/stats';

/**
 * Scenario 2: many concurrent runs of a 10-step noop DAG. Every repetition
 * submits all runs at once through the API and waits for the read model to
 * show them succeeded; rates are over the engine's window (first RunStarted
 * to last RunSucceeded). CPU (cores = CPU seconds per wall second) and RSS
 * per process from /proc over the harness's window.
 */
export async function throughput(ctx: ScenarioContext): Promise<void> {
  const runs = ctx.runs ?? (ctx.smoke ? 10 : 500);
  const reps = ctx.smoke ? 1 : ctx.repetitions;
  const stack = await Stack.start(ctx.root, { target: ctx.target, profile: ctx.profile });
  const results: LoadFigures[] = [];
  try {
    await runDagLoad(stack, {
      runs: ctx.smoke ? 2 : 50,
      submitConcurrency: 8,
      workflowId: 'bench.warmup',
      timeoutMs: 120_000,
    });
    for (let rep = 1; rep <= reps; rep++) {
      results.push(
        await runDagLoad(stack, {
          runs,
          submitConcurrency: 16,
          workflowId: `bench.dag${rep}`,
          timeoutMs: 600_000,
        }),
      );
    }
  } finally {
    await stack.stop();
  }
  const figures = summarise(results);
  printReport(
    {
      scenario: 'throughput',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: {
        runs,
        stepsPerRun: 10,
        repetitions: reps,
        workflow: 's1 -> (s2,s3,s4) -> s5 -> (s6,s7,s8) -> s9 -> s10, noop',
        executorSlots: ctx.target === 'embedded' ? 8 : 4,
        profiled: ctx.profile ?? null,
      },
      figures: { ...figures, repetitions: results },
      ...(stack.profileDir ? { notes: [`cpu profiles in ${stack.profileDir}`] } : {}),
    },
    throughputSummary('throughput', ctx.target, runs, figures, results),
  );
}

export function summarise(results: readonly LoadFigures[]): Record<string, number> {
  return {
    medianStepsPerSecond: median(results.map((r) => r.stepsPerSecond)),
    medianStepTransitionsPerSecond: median(results.map((r) => r.stepTransitionsPerSecond)),
    medianRunsPerSecond: median(results.map((r) => r.runsPerSecond)),
    medianEngineEventsPerSecond: median(results.map((r) => r.engineEventsPerSecond)),
  };
}

export function throughputSummary(
  scenario: string,
  target: string,
  runs: number,
  figures: Record<string, number>,
  results: readonly LoadFigures[],
): string[] {
  const last = results[results.length - 1];
  const cpu = last.processes.map((p) => `${p.name} ${p.cores} cores/${p.rssPeakMiB} MiB`).join(', ');
  return [
    `${scenario} (${target}): ${runs} runs x 10 noop steps, ${results.length} repetition(s)`,
    `median ${figures.medianStepsPerSecond} steps/s (${figures.medianStepTransitionsPerSecond} step transitions/s), ${figures.medianRunsPerSecond} runs/s`,
    `last repetition CPU/RSS peak: ${cpu}; machine busy ${last.machineBusyCores} cores`,
  ];
}
