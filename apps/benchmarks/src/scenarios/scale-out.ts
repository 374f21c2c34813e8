import type { ScenarioContext } from '../harness/context';
import { runDagLoad } from '../harness/load';
import { machine, printReport, runsOnKafkaOnly } from '../harness/report';
import { Stack } from '../harness/stack';
import { median, round } from '../harness/stats';

/**
 * Scenario 4 (Kafka only): the throughput load with 1, 2 and 4 executor
 * processes behind one engine, and with 2 engines (each owning half the
 * partitions). A fresh installation per configuration.
 */
export async function scaleOut(ctx: ScenarioContext): Promise<void> {
  if (!runsOnKafkaOnly(ctx, 'scale-out', 'separate processes')) return;
  const runs = ctx.runs ?? (ctx.smoke ? 10 : 300);
  const reps = ctx.smoke ? 1 : ctx.repetitions;
  const configs = ctx.smoke
    ? [{ engines: 1, executors: 1 }]
    : [
        { engines: 1, executors: 1 },
        { engines: 1, executors: 2 },
        { engines: 1, executors: 4 },
        { engines: 2, executors: 1 },
        { engines: 2, executors: 2 },
      ];
  const rows = [];
  for (const config of configs) {
    const stack = await Stack.start(ctx.root, { target: 'kafka', ...config });
    try {
      await runDagLoad(stack, {
        runs: 20,
        submitConcurrency: 8,
        workflowId: 'bench.warmup',
        timeoutMs: 120_000,
      });
      const results = [];
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
      rows.push({
        ...config,
        medianStepsPerSecond: median(results.map((r) => r.stepsPerSecond)),
        medianRunsPerSecond: median(results.map((r) => r.runsPerSecond)),
        machineBusyCores: median(results.map((r) => r.machineBusyCores)),
        processes: results[results.length - 1].processes,
      });
    } finally {
      await stack.stop();
    }
  }
  const base = rows[0].medianStepsPerSecond;
  printReport(
    {
      scenario: 'scale-out',
      target: 'kafka',
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { runs, repetitions: reps, executorSlotsPerProcess: 4, runPartitions: 8 },
      figures: {
        configurations: rows.map((r) => ({ ...r, ratioToFirst: round(r.medianStepsPerSecond / base, 2) })),
      },
      notes: [
        'every process shares the same cores: more processes cannot add CPU, only parallelism of waits',
      ],
    },
    [
      `scale-out (kafka): ${runs} runs x 10 noop steps per configuration`,
      ...rows.map(
        (r) =>
          `engines ${r.engines}, executors ${r.executors}: ${r.medianStepsPerSecond} steps/s (x${round(r.medianStepsPerSecond / base, 2)}), machine busy ${r.machineBusyCores} cores`,
      ),
    ],
  );
}
