import type { WorkflowEvent } from '@baton/domain/workflow-queue';
import type { WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import { isTerminal, type BatonApi, type RunDetail, type RunSummary } from './api-client';
import { call, requestId } from './parity-scenarios';
import { sleep } from './processes';
import { describeWorkflowEvent, WorkflowQueueLog } from './workflow-queue-log';

/**
 * Runs a test holds and lets go: each waits at a `wait_for_signal` step
 * until the test releases it with a signal, so which run is running, waiting
 * or dropped at each point is decided by the test, never by a sleep.
 */

const POLL_MS = 100;
const DEADLINE_MS = 30_000;

/** A workflow whose runs wait at `hold` for signal `signal` with param `key` equal to their own; `check` fails when asked. */
function heldWorkflow(id: string, strategy: string, signal: string): string {
  return `
id: ${id}
run_strategy: ${strategy}
params:
  key: { type: string, required: true }
  fail: { type: boolean, default: false }
steps:
  - id: hold
    type: wait_for_signal
    signal: ${signal}
    match:
      key: \${params.key}
  - id: check
    type: shell
    depends_on: [hold]
    command: [sh, -c, 'if [ "$FAIL" = "true" ]; then echo "asked to fail" >&2; exit 2; fi']
    env:
      FAIL: \${params.fail}
`;
}

/** One scenario's workflow, its runs by name (r1, r2...) and the log of its queue. */
export class HeldRuns {
  private readonly ids = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly requestIds = new Map<string, string>();

  constructor(
    readonly api: BatonApi,
    readonly workflowId: string,
    private readonly signal: string,
    private readonly log: WorkflowQueueLog,
  ) {}

  /** Requests run `name`: the API answers 202 with its run id whatever the queue will decide. */
  async request(name: string, params: Record<string, unknown> = {}): Promise<void> {
    const request = requestId(this.workflowId);
    const runId = await this.api.start(this.workflowId, { key: name, ...params }, request);
    this.ids.set(name, runId);
    this.names.set(runId, name);
    this.requestIds.set(name, request);
  }

  /** Every run id requested, for the suite's records. */
  runIds(): string[] {
    return [...this.ids.values()];
  }

  id(name: string): string {
    const runId = this.ids.get(name);
    if (runId === undefined) throw new Error(`no run named ${name} was requested`);
    return runId;
  }

  /** Waits for run `name` to hold at its wait step: it was started and occupies its slot. */
  async held(name: string): Promise<RunDetail> {
    return this.api.waitForRun(this.id(name), holding, DEADLINE_MS);
  }

  /**
   * Lets run `name` go on. The signal is sent once the run shows its wait
   * (the wait is registered with the signal router in the same transaction
   * as the step's event), so it cannot miss it.
   */
  async release(name: string): Promise<void> {
    await this.held(name);
    await call(this.api, 'POST', '/api/v1/signals', {
      name: this.signal,
      params: { key: name },
      signalId: `${this.workflowId}-${name}`,
    });
  }

  async ended(name: string): Promise<RunDetail> {
    return this.api.waitForRun(this.id(name), isTerminal, DEADLINE_MS);
  }

  async queue(): Promise<WorkflowQueueView> {
    return call<WorkflowQueueView>(
      this.api,
      'GET',
      `/api/v1/workflows/${this.workflowId}/queue`,
      undefined,
      [200],
    );
  }

  /**
   * Polls the queue until it shows `running` and `queued` (run names, in
   * order) and `blockedBy`, having reflected at least event `fromSeq`;
   * `check` runs on every view polled.
   */
  async waitForQueue(
    expected: { running: string[]; queued: string[]; blockedBy?: string; fromSeq?: number },
    check: (queue: WorkflowQueueView) => Promise<void> | void = () => undefined,
  ): Promise<WorkflowQueueView> {
    const want = {
      running: expected.running,
      queued: expected.queued,
      blockedBy: expected.blockedBy ?? null,
    };
    return until<WorkflowQueueView>(`${this.workflowId}: queue ${JSON.stringify(expected)}`, async () => {
      const queue = await this.queue();
      await check(queue);
      const seen = {
        running: queue.running.map((runId) => this.name(runId)),
        queued: queue.queued.map((q) => this.name(q.runId)),
        blockedBy: queue.blockedBy === null ? null : this.name(queue.blockedBy),
      };
      const reached =
        JSON.stringify(seen) === JSON.stringify(want) && queue.lastSeq >= (expected.fromSeq ?? 0);
      return reached ? { met: queue } : { unmet: { ...seen, lastSeq: queue.lastSeq } };
    });
  }

  /** The queue's decisions once `complete` holds for them, as lines naming the runs ("RunAdmitted r2 from queue"). */
  async decisions(complete: (lines: readonly string[]) => boolean): Promise<string[]> {
    const events = await this.log.waitFor(
      this.workflowId,
      (e) => complete(this.describe(e)),
      DEADLINE_MS,
      this.names,
    );
    return this.describe(events);
  }

  /** The workflow's runs in the run list, by name. */
  async listed(): Promise<Map<string, RunSummary>> {
    const runs = await this.api.listRuns(this.workflowId);
    return new Map(runs.map((run) => [this.name(run.runId), run]));
  }

  /** The status of each run in the run list, by name: a dropped request has none. */
  async statuses(): Promise<Record<string, string>> {
    return Object.fromEntries([...(await this.listed())].map(([name, run]) => [name, run.status]));
  }

  /** Asserts run `name` waits in the queue: `GET /runs/{id}` shows it queued, with its params and no steps. */
  async expectQueued(name: string): Promise<void> {
    expect(await this.api.getRun(this.id(name))).toMatchObject({
      runId: this.id(name),
      status: 'queued',
      params: { key: name },
      startedAt: null,
      steps: [],
    });
  }

  /**
   * Asserts the run strategy dropped run `name`'s request for `reason`: the
   * queue lists the drop, and `GET /runs/{id}` answers 410 saying who dropped
   * which request, and when. Call once the queue reflects the drop.
   */
  async expectDropped(name: string, reason: 'first_only_busy' | 'superseded'): Promise<void> {
    const runId = this.id(name);
    const drop = (await this.queue()).recentlyDropped.find((d) => d.runId === runId);
    expect(drop).toMatchObject({ requestId: this.requestIds.get(name), reason });
    const gone = await call<{ statusCode: number; message: string }>(
      this.api,
      'GET',
      `/api/v1/runs/${runId}`,
      undefined,
      [410],
    );
    const strategy = reason === 'first_only_busy' ? 'first_only' : 'serial_latest_only or last_only';
    expect(gone.statusCode).toBe(410);
    expect(gone.message).toContain(
      `run ${runId} never started: workflow ${this.workflowId}'s run strategy ${strategy} dropped its ` +
        `request ${drop!.requestId} at ${new Date(drop!.droppedAt).toISOString()} (`,
    );
  }

  /** The queue's latest dropped requests, newest first, as lines naming the runs ("r3 first_only_busy"). */
  async recentlyDropped(): Promise<string[]> {
    return (await this.queue()).recentlyDropped.map((drop) => `${this.name(drop.runId)} ${drop.reason}`);
  }

  private describe(events: readonly WorkflowEvent[]): string[] {
    return events.map((event) => describeWorkflowEvent(event, this.names));
  }

  private name(runId: string): string {
    return this.names.get(runId) ?? runId;
  }
}

const holding = (run: RunDetail) => run.steps.find((s) => s.stepId === 'hold')?.status === 'waiting';

/** What a poll saw: the value waited for, or the state to show if the wait times out. */
type Probe<T> = { readonly met: T } | { readonly unmet: unknown };

/** Polls `probe` until it is met; the timeout error shows the last unmet state. */
async function until<T>(what: string, probe: () => Promise<Probe<T>>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const answer = await probe();
    if ('met' in answer) return answer.met;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached in ${DEADLINE_MS} ms; last seen ${JSON.stringify(answer.unmet)}`);
    }
    await sleep(POLL_MS);
  }
}

/**
 * Pushes a held workflow with `run_strategy: <strategy>` as `workflowId` and
 * runs `body` with its runs; the queue's log is closed afterwards.
 */
export async function withHeldRuns<T>(
  api: BatonApi,
  brokers: readonly string[],
  workflowId: string,
  strategy: string,
  body: (runs: HeldRuns) => Promise<T>,
): Promise<T> {
  const signal = `${workflowId}.go`;
  await api.push(heldWorkflow(workflowId, strategy, signal));
  const log = await WorkflowQueueLog.connect(brokers);
  try {
    return await body(new HeldRuns(api, workflowId, signal, log));
  } finally {
    await log.close();
  }
}
