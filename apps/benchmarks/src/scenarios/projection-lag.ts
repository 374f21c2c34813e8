import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Topics } from '@baton/contracts';
import { scrapeMetric } from '../harness/api-client';
import type { ScenarioContext } from '../harness/context';
import { runDagLoad, type LoadFigures } from '../harness/load';
import { machine, printReport } from '../harness/report';
import { kafkaEndpoints, Stack } from '../harness/stack';
import { distribution, round } from '../harness/stats';

const POLL_MS = 10;

/**
 * Scenario 5: how far the read model trails the log under the throughput load.
 *
 * Kafka: the harness reads `baton.run-events` (read-committed, so an event
 * counts once its transaction is visible) and notes when each RunSucceeded
 * arrives; it polls PostgreSQL every 10 ms for those runs' rows and notes
 * when each shows `succeeded`. Lag = row seen - event seen (harness clock,
 * +-10 ms polling). Also reported: the engine's decision (`at`) to the event
 * being visible on Kafka.
 *
 * Both targets: samples of the projector's own `baton_projector_lag_seconds`
 * (now - `at` of the last projected event, set after each batch), every 100 ms.
 */
export async function projectionLag(ctx: ScenarioContext): Promise<void> {
  const runs = ctx.runs ?? (ctx.smoke ? 10 : 500);
  const stack = await Stack.start(ctx.root, { target: ctx.target });
  const projectorUrl = stack.services.find((s) => s.name === 'projector' || s.name === 'baton')?.url ?? '';
  const gauge: number[] = [];
  const rowLag: number[] = [];
  const visibleLag: number[] = [];
  let load: LoadFigures;
  let stopWatch: () => Promise<void> = () => Promise.resolve();
  try {
    await runDagLoad(stack, {
      runs: ctx.smoke ? 2 : 50,
      submitConcurrency: 8,
      workflowId: 'bench.warmup',
      timeoutMs: 120_000,
    });
    if (ctx.target === 'kafka') stopWatch = await watchKafka('bench.lag', rowLag, visibleLag);
    const sampler = setInterval(() => {
      void scrapeMetric(projectorUrl, 'baton_projector_lag_seconds').then(
        (seconds) => gauge.push(Math.round(seconds * 1000)),
        () => undefined,
      );
    }, 100);
    try {
      load = await runDagLoad(stack, {
        runs,
        submitConcurrency: 16,
        workflowId: 'bench.lag',
        timeoutMs: 600_000,
      });
    } finally {
      clearInterval(sampler);
      await stopWatch();
    }
  } finally {
    await stack.stop();
  }
  const rows = distribution(rowLag);
  const sampled = distribution(gauge);
  printReport(
    {
      scenario: 'projection-lag',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { runs, stepsPerRun: 10, pollMs: POLL_MS, gaugeSampleMs: 100 },
      figures: {
        ...(ctx.target === 'kafka'
          ? { eventOnKafkaToRowMs: rows, engineDecisionToVisibleOnKafkaMs: distribution(visibleLag) }
          : {}),
        projectorLagGaugeSamplesMs: sampled,
        load: { stepsPerSecond: load.stepsPerSecond, runsPerSecond: load.runsPerSecond },
      },
      notes:
        ctx.target === 'kafka'
          ? [
              'event on Kafka -> row: RunSucceeded read by the harness (read_committed) -> runs row succeeded in PostgreSQL',
            ]
          : [
              'embedded: no external view of the log; only the projector gauge (now - at of last projected event)',
            ],
    },
    [
      `projection-lag (${ctx.target}) under ${runs} runs x 10 steps (${load.stepsPerSecond} steps/s)`,
      ...(ctx.target === 'kafka'
        ? [
            `event on Kafka -> read-model row: p50 ${rows.p50} ms, p95 ${rows.p95} ms, p99 ${rows.p99} ms (n ${rows.n}, +-${POLL_MS} ms)`,
          ]
        : []),
      `projector lag gauge samples: p50 ${sampled.p50} ms, p95 ${sampled.p95} ms, max ${sampled.max} ms (mean ${round(sampled.mean)})`,
    ],
  );
}

/** Starts the Kafka reader and the PostgreSQL poller; the returned function stops both. */
async function watchKafka(
  workflowId: string,
  rowLag: number[],
  visibleLag: number[],
): Promise<() => Promise<void>> {
  const endpoints = kafkaEndpoints();
  const kafka = new Kafka({
    brokers: endpoints.brokers.split(','),
    clientId: 'baton-bench',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `bench-lag-${Date.now()}`, maxWaitTimeInMs: 50 });
  const db = new Client({ connectionString: endpoints.databaseUrl });
  await db.connect();
  const pending = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.runEvents, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const seenAt = Date.now();
      const text = message.value?.toString('utf8') ?? '';
      if (!text.includes('"RunSucceeded"')) return;
      const event = JSON.parse(text) as { type: string; runId: string; at: number };
      if (event.type !== 'RunSucceeded') return;
      pending.set(event.runId, seenAt);
      visibleLag.push(seenAt - event.at);
    },
  });
  // Joining the group takes a moment; the load starts only once we are assigned.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  let polling = false;
  const poller = setInterval(() => {
    if (polling || pending.size === 0) return;
    polling = true;
    const ids = [...pending.keys()];
    void db
      .query<{ run_id: string }>(
        "SELECT run_id FROM runs WHERE run_id = ANY($1) AND status = 'succeeded' AND workflow_id = $2",
        [ids, workflowId],
      )
      .then((result) => {
        const now = Date.now();
        for (const { run_id } of result.rows) {
          const seenAt = pending.get(run_id);
          if (seenAt === undefined) continue;
          rowLag.push(Math.max(0, now - seenAt));
          pending.delete(run_id);
        }
      })
      .finally(() => {
        polling = false;
      });
  }, POLL_MS);
  return async () => {
    // Let the last rows land.
    for (let i = 0; i < 100 && pending.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    clearInterval(poller);
    await consumer.disconnect();
    await db.end();
  };
}
