import { scrapeMetric, sleep } from './api-client';
import { ProcessMonitor, type ProcessFigures } from './procfs';
import { round } from './stats';
import type { Stack } from './stack';
import { DAG_STEPS, dagWorkflow } from './workflows';

export interface LoadOptions {
  readonly runs: number;
  /** Run requests in flight at once while submitting. */
  readonly submitConcurrency: number;
  readonly workflowId: string;
  readonly timeoutMs: number;
  /** Called every poll while the load runs (projection lag sampling). */
  readonly onTick?: () => Promise<void>;
}

export interface LoadFigures {
  readonly runs: number;
  readonly stepsPerRun: number;
  /** Engine clock: first RunStarted to last RunSucceeded (the read model's startedAt/endedAt). */
  readonly windowSeconds: number;
  readonly stepsPerSecond: number;
  /** Step transitions (StepReady, StepStarted, StepSucceeded) per second. */
  readonly stepTransitionsPerSecond: number;
  readonly runsPerSecond: number;
  /** Run events decided by the engine(s) per second (baton_engine_events_total over the harness window). */
  readonly engineEventsPerSecond: number;
  readonly submitSeconds: number;
  readonly harnessWallSeconds: number;
  readonly machineBusyCores: number;
  readonly processes: ProcessFigures[];
}

/**
 * Submits `runs` runs of the 10-step noop DAG as fast as the API takes them,
 * waits until the read model shows every one succeeded, and measures.
 */
export async function runDagLoad(stack: Stack, options: LoadOptions): Promise<LoadFigures> {
  await stack.api.pushWorkflow(dagWorkflow(options.workflowId));
  const engines = stack.services.filter((s) => s.name === 'baton' || s.name.startsWith('engine'));
  const eventsBefore = await sumMetric(
    engines.map((e) => e.url),
    'baton_engine_events_total',
  );
  const monitor = new ProcessMonitor(stack.processes());
  monitor.begin();
  const started = performance.now();
  let next = 0;
  const submitOne = async (): Promise<void> => {
    while (next < options.runs) {
      const i = next++;
      await stack.api.startRun(options.workflowId, `r${i}`);
    }
  };
  await Promise.all(Array.from({ length: options.submitConcurrency }, submitOne));
  const submitSeconds = (performance.now() - started) / 1000;
  const deadline = Date.now() + options.timeoutMs;
  let done = 0;
  while (done < options.runs) {
    if (Date.now() > deadline) throw new Error(`only ${done}/${options.runs} runs succeeded in time`);
    await sleep(250);
    if (options.onTick) await options.onTick();
    done = (await stack.api.runs(options.workflowId, 'succeeded')).length;
  }
  const usage = monitor.end();
  const eventsAfter = await sumMetric(
    engines.map((e) => e.url),
    'baton_engine_events_total',
  );
  const summaries = await stack.api.runs(options.workflowId, 'succeeded');
  const first = Math.min(...summaries.map((s) => s.startedAt ?? Infinity));
  const last = Math.max(...summaries.map((s) => s.endedAt ?? 0));
  const windowSeconds = (last - first) / 1000;
  const steps = options.runs * DAG_STEPS;
  return {
    runs: options.runs,
    stepsPerRun: DAG_STEPS,
    windowSeconds: round(windowSeconds, 2),
    stepsPerSecond: round(steps / windowSeconds),
    stepTransitionsPerSecond: round((3 * steps) / windowSeconds),
    runsPerSecond: round(options.runs / windowSeconds),
    engineEventsPerSecond: round((eventsAfter - eventsBefore) / usage.wallSeconds),
    submitSeconds: round(submitSeconds, 2),
    harnessWallSeconds: round(usage.wallSeconds, 2),
    machineBusyCores: usage.machineBusyCores,
    processes: usage.processes,
  };
}

async function sumMetric(urls: readonly string[], name: string): Promise<number> {
  let sum = 0;
  for (const url of urls) sum += await scrapeMetric(url, name);
  return sum;
}
