import { join } from 'node:path';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, KafkaEventLog, type EventLog } from '@baton/eventlog';
import { sleep } from '../harness/api-client';
import type { ScenarioContext } from '../harness/context';
import { machine, printReport } from '../harness/report';
import { Service, type LogLine } from '../harness/service';
import { kafkaEndpoints, Stack } from '../harness/stack';
import { distribution, median, round } from '../harness/stats';
import { dagWorkflow } from '../harness/workflows';

/**
 * Scenario 6: a restarted engine restoring one partition that holds N runs
 * (10,000 by default).
 *
 * With one run partition, one real 10-step run is driven to completion; its
 * final state snapshot (which embeds the workflow definition, as every
 * snapshot does) is then cloned under N-1 new run ids straight into
 * `baton.run-state` partition 0: the engine restores them like any other
 * snapshot (it cannot tell a clone from a run it decided). Then the engine is
 * restarted several times and we time, from spawning the process, until it
 * logs `owns partition` for the engine's partition 0 (`keys`: the N runs). The same restart with only the one real
 * run gives the baseline (process start, Nest, connecting, the group join);
 * the difference is the cost of restoring the N runs.
 *
 * Kafka: only the engine process restarts. Embedded: the all-in-one process
 * restarts (its log replay at open is part of the restore).
 */
export async function recovery(ctx: ScenarioContext): Promise<void> {
  const runs = ctx.runs ?? (ctx.smoke ? 200 : 10_000);
  const reps = ctx.smoke ? 1 : ctx.repetitions;
  const stack = await Stack.start(ctx.root, { target: ctx.target, runPartitions: 1 });
  const engineName = ctx.target === 'kafka' ? 'engine-1' : 'baton';
  const baseline: number[] = [];
  const loaded: number[] = [];
  const inProcess: { baseline: number[]; loaded: number[] } = { baseline: [], loaded: [] };
  try {
    await stack.api.pushWorkflow(dagWorkflow('bench.recovery'));
    const { runId } = await stack.api.startRun('bench.recovery', 'seed');
    await waitSucceeded(stack, runId);
    for (let rep = 0; rep < reps; rep++) {
      const t = await restartEngine(ctx, stack, engineName, 1);
      baseline.push(t.total);
      inProcess.baseline.push(t.inProcess);
    }
    await writeClones(ctx, stack, engineName, runId, runs - 1);
    for (let rep = 0; rep < reps; rep++) {
      const t = await restartEngine(ctx, stack, engineName, runs);
      loaded.push(t.total);
      inProcess.loaded.push(t.inProcess);
    }
  } finally {
    await stack.stop();
  }
  const restore = median(loaded) - median(baseline);
  printReport(
    {
      scenario: 'recovery',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { runsInPartition: runs, runPartitions: 1, repetitions: reps, stepsPerRun: 10 },
      figures: {
        spawnToOwnsPartitionMs: { withOneRun: distribution(baseline), withNRuns: distribution(loaded) },
        firstLogLineToOwnsPartitionMs: {
          withOneRun: distribution(inProcess.baseline),
          withNRuns: distribution(inProcess.loaded),
        },
        restoreCostMs: restore,
        restoreRunsPerSecond: round(runs / (restore / 1000)),
      },
      notes: [
        "N-1 of the runs are clones of one real finished run's snapshot written to baton.run-state",
        'restoreCostMs = median(spawn -> owns, N runs) - median(spawn -> owns, 1 run)',
      ],
    },
    [
      `recovery (${ctx.target}): restart with ${runs} runs in the partition: spawn -> "owns partition 0" median ${median(loaded)} ms`,
      `baseline with 1 run ${median(baseline)} ms; restore cost ${restore} ms (${round(runs / (restore / 1000))} runs/s)`,
    ],
  );
}

async function waitSucceeded(stack: Stack, runId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const run = await stack.api.run(runId);
    if (run?.status === 'succeeded') return;
    await sleep(100);
  }
  throw new Error(`seed run ${runId} did not succeed`);
}

/** Stops the engine (or the all-in-one process), starts it again, times the restore. */
async function restartEngine(
  ctx: ScenarioContext,
  stack: Stack,
  name: string,
  expectedRuns: number,
): Promise<{ total: number; inProcess: number }> {
  const old = stack.service(name);
  await old.stop();
  const restarted = Service.start(old.spec, ctx.root, stack.workDir);
  stack.services[stack.services.indexOf(old)] = restarted;
  const line = await engineOwnsPartition0(restarted);
  const owned = Number(line.keys);
  if (owned !== expectedRuns) throw new Error(`engine restored ${owned} runs, expected ${expectedRuns}`);
  const firstLogged = restarted.lines[0]?.time ?? line.time ?? 0;
  await stack.api.waitHealthy(60_000);
  return { total: line.receivedAt - restarted.spawnedAt, inProcess: (line.time ?? 0) - firstLogged };
}

/** Writes `count` copies of the run's last snapshot under new run ids, with the engine stopped. */
async function writeClones(
  ctx: ScenarioContext,
  stack: Stack,
  engineName: string,
  runId: string,
  count: number,
): Promise<void> {
  const engine = stack.service(engineName);
  await engine.stop();
  const log: EventLog =
    ctx.target === 'kafka'
      ? await KafkaEventLog.connect({ brokers: kafkaEndpoints().brokers.split(','), logLevel: 'error' })
      : await EmbeddedEventLog.open({ dir: join(String(engine.spec.env.BATON_DATA_DIR), 'log') });
  try {
    let snapshot: string | null = null;
    for await (const record of log.readPartition(Topics.runState, 0)) {
      if (record.key === runId) snapshot = record.value;
    }
    if (!snapshot) throw new Error(`no snapshot of ${runId}`);
    const producer = await log.producer();
    const template = snapshot;
    for (let done = 0; done < count;) {
      const chunk = Math.min(100, count - done);
      const records = Array.from({ length: chunk }, (_, i) => {
        const id = `${runId.slice(0, 24)}${String(done + i).padStart(12, '0')}`;
        return { topic: Topics.runState, key: id, value: template.split(runId).join(id) };
      });
      await producer.send(records);
      done += chunk;
    }
    await producer.close();
  } finally {
    await log.close();
  }
  const restarted = Service.start(engine.spec, ctx.root, stack.workDir);
  stack.services[stack.services.indexOf(engine)] = restarted;
  await engineOwnsPartition0(restarted);
  await stack.api.waitHealthy(60_000);
}

/** The engine's `owns partition` line for partition 0 (`keys`: the runs it restored). */
async function engineOwnsPartition0(service: Service): Promise<LogLine> {
  for (let from = 0; ;) {
    const line = await service.waitForLog(/^owns partition$/, 180_000, from);
    if (line.writer === 'Engine' && line.partition === 0) return line;
    from = service.lines.indexOf(line) + 1;
  }
}
