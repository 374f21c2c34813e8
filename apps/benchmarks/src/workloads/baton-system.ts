import { sleep, type ApiClient, type RunDetail, type RunEvent } from '../harness/api-client';
import { listeningPid, processTree } from '../harness/procfs';
import { Stack, kafkaEndpoints, type Target } from '../harness/stack';
import { chainWorkflow, foreachWorkflow, type StepKind } from '../harness/workflows';
import type { BenchSystem, ChainTimes, SystemProcess } from './system';

/** Iterations of W3's foreach in flight at once (the fan-out scenario's choice; the limit is 1,000). */
export const W3_CONCURRENCY = 100;
const POLL_MS = 20;
const TIMEOUT_MS = 600_000;

/**
 * Baton as a benchmark system: the harness's `Stack` (the all-in-one, or
 * separate processes on Kafka + PostgreSQL) of the build in `root` — this
 * checkout, or another one (`--baton-baseline`) for before/after.
 */
export class BatonSystem implements BenchSystem {
  readonly stepKinds: readonly StepKind[] = ['noop', 'shell'];
  private readonly pushed = new Set<string>();

  private constructor(
    readonly name: string,
    private readonly stack: Stack,
  ) {}

  static async start(name: string, root: string, target: Target): Promise<BatonSystem> {
    return new BatonSystem(name, await Stack.start(root, { target }));
  }

  processes(): SystemProcess[] {
    const own = this.stack.processes().map((p) => ({ ...p, own: true }));
    // Looked up on every call: PostgreSQL's backends come and go with the connections.
    return this.stack.options.target === 'kafka' ? [...own, ...kafkaProcesses()] : own;
  }

  async chain(steps: number, key: string): Promise<ChainTimes> {
    const workflowId = await this.workflow(
      `bench.w1-chain${steps}`,
      chainWorkflow(`bench.w1-chain${steps}`, steps),
    );
    const { runId, sentAt } = await this.api.startRun(workflowId, key);
    await untilEnded(this.api, runId, POLL_MS);
    const events = await this.api.events(runId);
    const at = (type: string, stepId?: string): number => eventAt(events, type, stepId);
    const ids = Array.from({ length: steps }, (_, i) => `s${i + 1}`);
    return {
      sentAt,
      stepStarts: ids.map((id) => at('StepStarted', id)),
      stepEnds: ids.map((id) => at('StepSucceeded', id)),
      endedAt: at('RunSucceeded'),
    };
  }

  async burst(
    runs: number,
    steps: number,
    kind: StepKind,
    key: string,
  ): Promise<{ acceptedAt: number; lastEndedAt: number }> {
    // A workflow of its own, so that listing its succeeded runs counts this burst only.
    const workflowId = await this.workflow(`bench.w2-${key}`, chainWorkflow(`bench.w2-${key}`, steps, kind));
    await Promise.all(Array.from({ length: runs }, (_, i) => this.api.startRun(workflowId, `${key}-${i}`)));
    const acceptedAt = Date.now();
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const done = await this.api.runs(workflowId, 'succeeded');
      if (done.length >= runs)
        return { acceptedAt, lastEndedAt: Math.max(...done.map((r) => r.endedAt ?? 0)) };
      if (Date.now() > deadline)
        throw new Error(`${this.name}: ${done.length}/${runs} runs of ${key} succeeded in time`);
      await sleep(100);
    }
  }

  async fanout(children: number, key: string): Promise<{ sentAt: number; endedAt: number }> {
    const id = `bench.w3-${key}`;
    const workflowId = await this.workflow(id, foreachWorkflow(id, children, W3_CONCURRENCY));
    const { runId, sentAt } = await this.api.startRun(workflowId, key);
    const run = await untilEnded(this.api, runId, 100);
    return { sentAt, endedAt: eventAt(await this.api.eventsAfter(runId, run.lastSeq - 5), 'RunSucceeded') };
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }

  private get api(): ApiClient {
    return this.stack.api;
  }

  private async workflow(id: string, yaml: string): Promise<string> {
    if (!this.pushed.has(id)) await this.api.pushWorkflow(yaml);
    this.pushed.add(id);
    return id;
  }
}

/** Kafka's broker and PostgreSQL (postmaster and backends) of the kafka target, for "CPU of all processes". */
function kafkaProcesses(): SystemProcess[] {
  const endpoints = kafkaEndpoints();
  const kafkaPort = Number(endpoints.brokers.split(',')[0].split(':')[1]);
  const pgPort = Number(new URL(endpoints.databaseUrl).port || 5432);
  const found: SystemProcess[] = [];
  const kafka = listeningPid(kafkaPort);
  if (kafka !== null) found.push({ name: 'kafka', pid: kafka, own: false });
  const postgres = listeningPid(pgPort);
  if (postgres !== null)
    found.push(...processTree(postgres).map((pid) => ({ name: `postgres-${pid}`, pid, own: false })));
  if (kafka === null || postgres === null)
    throw new Error(`cannot find the process listening on ${kafka === null ? kafkaPort : pgPort}`);
  return found;
}

async function untilEnded(api: ApiClient, runId: string, pollMs: number): Promise<RunDetail> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const run = await api.run(runId);
    if (run && run.status !== 'running' && run.status !== 'pending') {
      if (run.status !== 'succeeded') throw new Error(`run ${runId} ended ${run.status}`);
      return run;
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end`);
    await sleep(pollMs);
  }
}

function eventAt(events: readonly RunEvent[], type: string, stepId?: string): number {
  const event = events.find((e) => e.type === type && (stepId === undefined || e.payload.stepId === stepId));
  if (!event) throw new Error(`no ${type}${stepId ? ` for ${stepId}` : ''}`);
  return event.at;
}
