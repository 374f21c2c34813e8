import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { RunEvent } from '@baton/domain';
import type { WorkflowEvent } from '@baton/domain/workflow-queue';
import { runIdFor, Topics, type RunRequest } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { systemClock } from '@baton/platform';
import { EngineMetrics } from '../engine.metrics';
import { EngineService } from '../runs/engine.service';
import { RunRequestAdmission, type DefinitionSource } from '../run-request-admission';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { WorkflowQueueMetrics } from './workflow-queue.metrics';
import { WorkflowQueueService } from './workflow-queue.service';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const layout = { runPartitions: 2, requestPartitions: 2 };
const quiet = SILENT_LOGGER;

/** Engine-only steps (a sleep), so runs end without an executor. */
const nap = definitionFromYaml(`
id: nap
run_strategy: sequential
steps:
  - { id: nap, type: sleep, duration: 150ms }
`);

/** last_only: a run sleeps far longer than the test; only a stop ends it. */
const latest = definitionFromYaml(`
id: latest
run_strategy: LAST_ONLY
steps:
  - { id: nap, type: sleep, duration: 10m }
`);

const definitions: Record<string, typeof nap> = { nap, latest };

const registry: DefinitionSource = {
  catchUp: async () => undefined,
  getVersion: async (workflowId) => {
    const definition = definitions[workflowId];
    return definition ? { workflowId, version: 1, definition } : null;
  },
};

/** Run requests through admission, the workflow queue and the engine, wired as in a Baton process. */
describe('run strategies end to end on the embedded log', () => {
  let dir: string;
  let log: EventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-run-strategy-'));
    log = await EmbeddedEventLog.open({ dir });
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function all<T>(topic: string): Promise<T[]> {
    const out: T[] = [];
    for (let p = 0; p < (await log.partitionCount(topic)); p++) {
      for await (const record of log.readPartition(topic, p)) out.push(JSON.parse(record.value!) as T);
    }
    return out;
  }

  /** Starts the three processes, runs `body`, stops them. */
  async function withBaton(body: () => Promise<void>): Promise<void> {
    const metrics = new EngineMetrics(new Registry());
    const engine = new EngineService(log, systemClock, metrics, quiet, {
      topics: layout,
      maxTimerSleepMs: 50,
    });
    const queue = new WorkflowQueueService(
      log,
      systemClock,
      new WorkflowQueueMetrics(new Registry()),
      quiet,
      {
        topics: layout,
      },
    );
    const admission = new RunRequestAdmission(log, registry, systemClock, metrics, quiet);
    await engine.start();
    await queue.start();
    await admission.start();
    try {
      await body();
    } finally {
      await admission.stop();
      await queue.stop();
      await engine.stop();
    }
  }

  const request = (requestId: string, workflowId = 'nap'): RunRequest => ({
    schemaVersion: 1,
    workflowId,
    requestId,
  });

  it('starts the second run only once the first has ended', async () => {
    await withBaton(async () => {
      const producer = await log.producer();
      await producer.send(
        ['first', 'second'].map((id) => ({
          topic: Topics.runRequests,
          key: 'nap',
          value: JSON.stringify(request(id)),
        })),
      );
      await producer.close();
      const [first, second] = [runIdFor('nap', 'first'), runIdFor('nap', 'second')];
      const queueEvents = async () =>
        (await all<WorkflowEvent>(Topics.workflowEvents)).map((e) => [e.type, 'runId' in e ? e.runId : null]);
      await waitUntil(async () => (await queueEvents()).length === 6, {
        timeoutMs: 10_000,
        message: 'both runs to start and end through the queue',
      });
      expect(await queueEvents()).toEqual([
        ['WorkflowRunStrategyChanged', null],
        ['RunAdmitted', first],
        ['RunQueued', second],
        ['RunFinished', first],
        ['RunAdmitted', second],
        ['RunFinished', second],
      ]);
      const runEvents = await all<RunEvent>(Topics.runEvents);
      const ended = runEvents.find((e) => e.runId === first && e.type === 'RunSucceeded')!;
      const started = runEvents.find((e) => e.runId === second && e.type === 'RunStarted')!;
      expect(started.at).toBeGreaterThanOrEqual(ended.at);
    });
  });

  it("pauses a run at the workflow's breakpoints", async () => {
    await withBaton(async () => {
      const producer = await log.producer();
      await producer.send([
        {
          topic: Topics.workflowCommands,
          key: 'nap',
          value: JSON.stringify({
            type: 'SetWorkflowBreakpoints',
            workflowId: 'nap',
            stepIds: ['nap'],
            metadata: { commandId: 'bp-1', at: 0 },
          }),
        },
      ]);
      await producer.send([
        { topic: Topics.runRequests, key: 'nap', value: JSON.stringify(request('held')) },
      ]);
      await producer.close();
      const runId = runIdFor('nap', 'held');
      const eventsOfRun = async () =>
        (await all<RunEvent>(Topics.runEvents)).filter((e) => e.runId === runId);
      await waitUntil(async () => (await eventsOfRun()).some((e) => e.type === 'StepPaused'), {
        timeoutMs: 10_000,
        message: 'the step to pause at its breakpoint',
      });
      const [started] = await eventsOfRun();
      expect(started).toMatchObject({ type: 'RunStarted', breakpoints: ['nap'] });
    });
  });

  it('last_only: a newer request stops the running run (cancelled, its step cancelled), then runs', async () => {
    await withBaton(async () => {
      const [first, second] = [runIdFor('latest', 'old'), runIdFor('latest', 'new')];
      const producer = await log.producer();
      const send = (requestId: string) =>
        producer.send([
          { topic: Topics.runRequests, key: 'latest', value: JSON.stringify(request(requestId, 'latest')) },
        ]);
      await send('old');
      const eventsOf = async (runId: string) =>
        (await all<RunEvent>(Topics.runEvents)).filter((e) => e.runId === runId);
      await waitUntil(async () => (await eventsOf(first)).some((e) => e.type === 'StepReady'), {
        timeoutMs: 10_000,
        message: 'the first run to be sleeping',
      });
      await send('new');
      await producer.close();
      await waitUntil(async () => (await eventsOf(second)).some((e) => e.type === 'StepReady'), {
        timeoutMs: 10_000,
        message: 'the second run to start once the first was stopped',
      });
      const stopped = await eventsOf(first);
      expect(stopped.slice(-2)).toMatchObject([
        { type: 'StepCancelled', stepId: 'nap', reason: 'run_cancelled' },
        { type: 'RunCancelled', reason: expect.stringContaining(`last_only: run ${second}`) },
      ]);
      const started = (await eventsOf(second)).find((e) => e.type === 'RunStarted')!;
      expect(started.at).toBeGreaterThanOrEqual(stopped[stopped.length - 1].at);
      const queue = (await all<WorkflowEvent>(Topics.workflowEvents)).filter(
        (e) => e.workflowId === 'latest',
      );
      expect(queue.map((e) => [e.type, 'runId' in e ? e.runId : null])).toEqual([
        ['WorkflowRunStrategyChanged', null],
        ['RunAdmitted', first],
        ['RunStopRequested', first],
        ['RunQueued', second],
        ['RunFinished', first],
        ['RunAdmitted', second],
      ]);
    });
  });
});
