import { sleep, type ApiClient, type RunEvent } from '../harness/api-client';
import type { ScenarioContext } from '../harness/context';
import { machine, printReport } from '../harness/report';
import { Stack } from '../harness/stack';
import { distribution, median, round } from '../harness/stats';
import { chainWorkflow } from '../harness/workflows';

/**
 * Scenario 1: a chain of noop steps run one at a time on an idle stack.
 *
 * Step-to-step overhead, per pair of consecutive steps: the `at` of step n's
 * StepSucceeded (the engine's time when it decided the executor's success
 * report, `CompleteStep`) to the `at` of step n+1's StepStarted (the engine's
 * time when it decided the next executor's `ReportStepStarted`). In between:
 * the engine commits StepSucceeded + StepReady + the step task in one
 * transaction, an executor fetches the task and reports "started", and the
 * engine decides that report. Engine clock only; `at` has 1 ms resolution.
 *
 * Workflow start overhead: the harness clock just before `POST
 * /workflows/{id}/runs` to the first StepStarted's `at` (same machine, so the
 * clocks agree); it includes the HTTP call and the API publishing the request.
 */
export async function stepOverhead(ctx: ScenarioContext): Promise<void> {
  const steps = ctx.smoke ? 5 : 50;
  const runsPerRep = ctx.runs ?? (ctx.smoke ? 1 : 5);
  const reps = ctx.smoke ? 1 : ctx.repetitions;
  const gaps: number[] = [];
  const readyToStarted: number[] = [];
  const startOverheads: number[] = [];
  const runDurations: number[] = [];
  const perRep: { p50: number; p95: number; p99: number; startOverheadP50: number }[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const stack = await Stack.start(ctx.root, { target: ctx.target });
    try {
      const workflowId = `bench.chain${steps}`;
      await stack.api.pushWorkflow(chainWorkflow(workflowId, steps));
      // Warm-up run, not measured (JIT, connections, topic metadata).
      await runToCompletion(stack.api, workflowId, 'warmup');
      const repGaps: number[] = [];
      const repStarts: number[] = [];
      for (let i = 0; i < runsPerRep; i++) {
        const { events, sentAt } = await runToCompletion(stack.api, workflowId, `rep${rep}-run${i}`);
        const figures = chainFigures(events, steps);
        repGaps.push(...figures.gaps);
        readyToStarted.push(...figures.readyToStarted);
        repStarts.push(figures.firstStartedAt - sentAt);
        runDurations.push(figures.runDuration);
      }
      gaps.push(...repGaps);
      startOverheads.push(...repStarts);
      const d = distribution(repGaps);
      perRep.push({ p50: d.p50, p95: d.p95, p99: d.p99, startOverheadP50: median(repStarts) });
    } finally {
      await stack.stop();
    }
  }
  const overall = distribution(gaps);
  const start = distribution(startOverheads);
  printReport(
    {
      scenario: 'step-overhead',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { steps, runsPerRepetition: runsPerRep, repetitions: reps, stepType: 'noop' },
      figures: {
        stepToStepMs: overall,
        stepToStepMsPerRepetition: perRep,
        medianOfRepetitionsMs: {
          p50: median(perRep.map((r) => r.p50)),
          p95: median(perRep.map((r) => r.p95)),
          p99: median(perRep.map((r) => r.p99)),
        },
        readyToStartedMs: distribution(readyToStarted),
        workflowStartOverheadMs: start,
        runDurationMs: distribution(runDurations),
      },
      notes: [
        'step-to-step = StepStarted(n+1).at - StepSucceeded(n).at, both engine decision times (1 ms resolution)',
        'start overhead = first StepStarted.at - harness clock before POST /runs (includes HTTP and the API)',
      ],
    },
    [
      `step-overhead (${ctx.target}): ${steps}-step noop chain, ${gaps.length} transitions over ${reps} stack(s)`,
      `step-to-step p50 ${overall.p50} ms, p95 ${overall.p95} ms, p99 ${overall.p99} ms (max ${overall.max} ms)`,
      `workflow start p50 ${start.p50} ms, p95 ${start.p95} ms; whole ${steps}-step run p50 ${round(median(runDurations))} ms`,
    ],
  );
}

async function runToCompletion(
  api: ApiClient,
  workflowId: string,
  requestId: string,
): Promise<{ events: RunEvent[]; sentAt: number }> {
  const { runId, sentAt } = await api.startRun(workflowId, requestId);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await api.run(runId);
    if (run && run.status !== 'running' && run.status !== 'pending') {
      if (run.status !== 'succeeded') throw new Error(`run ${runId} ended ${run.status}`);
      return { events: await api.events(runId), sentAt };
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
    await sleep(20);
  }
}

function chainFigures(
  events: readonly RunEvent[],
  steps: number,
): { gaps: number[]; readyToStarted: number[]; firstStartedAt: number; runDuration: number } {
  const at = (type: string, stepId: string): number => {
    const event = events.find((e) => e.type === type && e.payload.stepId === stepId);
    if (!event) throw new Error(`no ${type} for ${stepId}`);
    return event.at;
  };
  const gaps: number[] = [];
  const readyToStarted: number[] = [];
  for (let i = 1; i <= steps; i++) {
    readyToStarted.push(at('StepStarted', `s${i}`) - at('StepReady', `s${i}`));
    if (i > 1) gaps.push(at('StepStarted', `s${i}`) - at('StepSucceeded', `s${i - 1}`));
  }
  const runStarted = events.find((e) => e.type === 'RunStarted');
  const runEnded = events.find((e) => e.type === 'RunSucceeded');
  return {
    gaps,
    readyToStarted,
    firstStartedAt: at('StepStarted', 's1'),
    runDuration: (runEnded?.at ?? 0) - (runStarted?.at ?? 0),
  };
}
