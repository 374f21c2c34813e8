import { ApiError, isTerminal, type BatonApi, type RunDetail } from './api-client';
import { sleep } from './processes';

/**
 * Issue 17, item 14: what a client reads at the first moment the API says a
 * run is terminal must be complete. Many runs at once, each with a logging
 * shell step, a sleep and a nested foreach of logging leaves (3 x 3 child
 * runs of child runs, spread over every partition); a poller per run reads
 * the run as soon as its status turns terminal, then at once its steps,
 * children, grandchildren, their steps and every log tail. Without the
 * projector's settling (run-settling.ts) this finds children still running
 * and log tails missing (see docs/operations.md, "Reading a run that ended").
 */

const REGIONS = ['eu', 'us', 'ap'];
const DAYS = 3;

export function readAfterTerminalWorkflow(id: string): string {
  // The run ends right after its last step: the foreach (children on other
  // partitions) or, when `delay` holds job1 back, a shell step's log tail.
  return `
id: ${id}
params:
  regions: { type: array, default: [${REGIONS.join(', ')}] }
  delay: { type: long, default: 0 }
steps:
  - id: job1
    type: shell
    command: [sh, -c, 'sleep "$DELAY"; echo "hello from job1"']
    env:
      DELAY: \${params.delay}
  - id: nap
    type: sleep
    duration: 150ms
  - id: regions
    type: foreach
    loop_params:
      region: \${params.regions}
    concurrency: 3
    steps:
      - id: days
        type: foreach
        loop_params:
          day: { range: { from: 1, to: ${DAYS + 1} } }
        concurrency: ${DAYS}
        steps:
          - id: leaf
            type: shell
            command: [sh, -c, 'echo "leaf $REGION day $DAY"']
            env:
              REGION: \${params.region}
              DAY: \${params.day}
`;
}

/** Everything wrong with what was read right after "terminal"; empty when complete. */
export interface TerminalReading {
  readonly runId: string;
  readonly problems: readonly string[];
  /** Milliseconds between the first terminal answer and the end of the reads. */
  readonly readMs: number;
}

/** Starts `count` runs at once and reads each at the first moment it is terminal. */
export async function readAfterTerminalScenario(
  api: BatonApi,
  workflowId: string,
  count: number,
  timeoutMs: number,
): Promise<TerminalReading[]> {
  await api.push(readAfterTerminalWorkflow(workflowId));
  const tag = Date.now().toString(36);
  const runIds = await api.startMany(
    // Every other run holds job1 back, so that it ends on a shell step instead of the foreach.
    Array.from({ length: count }, (_, i) => ({
      workflowId,
      params: { delay: i % 2 === 0 ? 0 : 4 },
      requestId: `rat-${tag}-${i}`,
    })),
    count,
  );
  return Promise.all(runIds.map((runId) => readAtTerminal(api, runId, timeoutMs)));
}

async function readAtTerminal(api: BatonApi, runId: string, timeoutMs: number): Promise<TerminalReading> {
  const deadline = Date.now() + timeoutMs;
  let run: RunDetail | null = null;
  while (Date.now() < deadline) {
    run = await api.getRun(runId);
    if (run && isTerminal(run)) break;
    await sleep(40);
  }
  if (!run || !isTerminal(run)) return { runId, problems: [`not terminal after ${timeoutMs} ms`], readMs: 0 };
  const began = Date.now();
  const problems = await completenessProblems(api, run);
  return { runId, problems, readMs: Date.now() - began };
}

/** Reads the whole tree under a terminal run, as fast as possible, and lists what is missing. */
async function completenessProblems(api: BatonApi, run: RunDetail): Promise<string[]> {
  const problems: string[] = [];
  const expectStep = (owner: RunDetail, stepId: string) => {
    const step = owner.steps.find((s) => s.stepId === stepId);
    if (step?.status !== 'succeeded') problems.push(`${owner.runId} step ${stepId}: ${step?.status}`);
    if (step && step.startedAt === null) problems.push(`${owner.runId} step ${stepId}: startedAt null`);
    return step;
  };
  if (run.status !== 'succeeded') problems.push(`run ${run.runId}: ${run.status}`);
  for (const stepId of ['job1', 'nap', 'regions']) expectStep(run, stepId);
  const regions = run.steps.find((s) => s.stepId === 'regions');
  if (regions?.outputs === null || regions?.outputs === undefined) problems.push(`regions: no outputs`);
  problems.push(...(await logProblems(api, run.runId, 'job1', 'hello from job1')));

  const children = await api.children(run.runId);
  if (children.length !== REGIONS.length) problems.push(`${children.length} region children`);
  await Promise.all(
    children.map(async (child) => {
      if (child.status !== 'succeeded') problems.push(`child ${child.runId}: ${child.status}`);
      const grandchildren = await api.children(child.runId);
      if (grandchildren.length !== DAYS)
        problems.push(`${child.runId}: ${grandchildren.length} day children`);
      await Promise.all(
        grandchildren.map(async (leafRun) => {
          const detail = await api.getRun(leafRun.runId);
          if (detail === null) {
            problems.push(`${leafRun.runId}: not found`);
            return;
          }
          if (detail.status !== 'succeeded') problems.push(`leaf run ${detail.runId}: ${detail.status}`);
          expectStep(detail, 'leaf');
          problems.push(...(await logProblems(api, detail.runId, 'leaf', 'leaf ')));
        }),
      );
    }),
  );
  return problems;
}

async function logProblems(api: BatonApi, runId: string, stepId: string, printed: string): Promise<string[]> {
  try {
    const logs = await api.logs(runId, stepId);
    return logs.stdoutTail.includes(printed)
      ? []
      : [`${runId} ${stepId}: stdout ${JSON.stringify(logs.stdoutTail)}`];
  } catch (error) {
    return [
      `${runId} ${stepId}: ${error instanceof ApiError ? `${error.status} ${error.message}` : String(error)}`,
    ];
  }
}
