import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { StartRun } from '@baton/domain';
import type { WorkflowCommand, WorkflowEvent } from '@baton/domain/workflow-queue';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { WorkflowQueueMetrics } from './workflow-queue.metrics';
import { WorkflowQueueService } from './workflow-queue.service';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const layout = { runPartitions: 2, requestPartitions: 2 };
const quiet = SILENT_LOGGER;
const clock = { now: () => 1_700_000_000_000 };

const definition = definitionFromYaml(`
id: nightly
run_strategy: sequential
steps:
  - { id: build, type: noop }
`);

const start = (n: number): StartRun => ({
  type: 'StartRun',
  runId: `run-${n}`,
  definition,
  params: {},
  requestId: `request-${n}`,
  scheduledAt: 0,
  metadata: { commandId: `admit/run-${n}`, at: 0 },
});

const meta = (commandId: string) => ({ commandId, at: 0 });

describe('WorkflowQueueService on the embedded log', () => {
  let dir: string;
  let log: EventLog;
  let registry: Registry;
  let metrics: WorkflowQueueMetrics;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-workflow-queue-'));
    log = await EmbeddedEventLog.open({ dir });
    registry = new Registry();
    metrics = new WorkflowQueueMetrics(registry);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = () => new WorkflowQueueService(log, clock, metrics, quiet, { topics: layout });

  async function send(...commands: WorkflowCommand[]): Promise<void> {
    const producer = await log.producer();
    await producer.send(
      commands.map((command) => ({
        topic: Topics.workflowCommands,
        key: command.workflowId,
        value: JSON.stringify(command),
      })),
    );
    await producer.close();
  }

  async function values<T>(topic: string, partitions: number): Promise<T[]> {
    const out: T[] = [];
    for (let p = 0; p < partitions; p++) {
      for await (const record of log.readPartition(topic, p)) out.push(JSON.parse(record.value!) as T);
    }
    return out;
  }

  const startedRuns = async () =>
    (await values<StartRun>(Topics.runCommands, layout.runPartitions)).map((s) => s.runId);
  const waiting = async () =>
    (await registry.getSingleMetric('baton_workflow_queue_waiting_runs')!.get()).values[0].value;

  it('enforces the strategy across a restart: the queue is restored from its snapshots', async () => {
    const first = service();
    await first.start();
    try {
      await send(
        { type: 'RequestRun', workflowId: 'nightly', start: start(1), metadata: meta('q1') },
        { type: 'RequestRun', workflowId: 'nightly', start: start(2), metadata: meta('q2') },
      );
      await waitUntil(
        async () => (await values(Topics.workflowEvents, layout.requestPartitions)).length === 3,
        {
          message: 'three workflow events',
        },
      );
      expect(await startedRuns()).toEqual(['run-1']);
      // The records are readable as soon as written; the service counts once its transaction is synced.
      await waitUntil(async () => (await waiting()) === 1, { message: 'one run waiting' });
    } finally {
      await first.stop();
    }

    const second = service();
    await second.start();
    try {
      await send({
        type: 'RunEnded',
        workflowId: 'nightly',
        runId: 'run-1',
        outcome: 'succeeded',
        metadata: meta('e1'),
      });
      await waitUntil(async () => (await startedRuns()).length === 2, { message: 'the second start' });
      expect(await startedRuns()).toEqual(['run-1', 'run-2']);
      const events = await values<WorkflowEvent>(Topics.workflowEvents, layout.requestPartitions);
      expect(events.map((e) => [e.type, e.seq])).toEqual([
        ['WorkflowRunStrategyChanged', 1],
        ['RunAdmitted', 2],
        ['RunQueued', 3],
        ['RunFinished', 4],
        ['RunAdmitted', 5],
      ]);
      await waitUntil(async () => (await waiting()) === 0, { message: 'the gauge to drop' });
    } finally {
      await second.stop();
    }
  });
});
