import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreTopics,
  stepTasksTopic,
  Topics,
  type StepCancellation,
  type StepLogs,
  type StepStartGranted,
  type StepTask,
  type TopicLayout,
} from '@baton/contracts';
import type { RunCommand } from '@baton/domain';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { EmbeddedEventLog, partitionForKey, type Consumer, type LogRecord } from '@baton/eventlog';
import { MetricsRegistry } from '@baton/observability';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';
import { systemClock, type Clock } from '@baton/platform';
import { createStepRuntimes, HandlerRegistry } from '../../runtimes';
import { ExecutorPool } from '../executor-pool';
import type { ExecutorPoolOptions } from '../executor-pool.options';

/** A command as read back, with the log's append time. */
export type Stamped<C> = C & { readonly timestamp: number };

export const LAYOUT: TopicLayout = { runPartitions: 4, requestPartitions: 1 };
export const POOL = 'default';
export const TASKS_TOPIC = stepTasksTopic(POOL);
export const TASKS_GROUP = `baton-executor.${POOL}`;

/** A real embedded log in a temp dir, with Baton's topics, plus what the tests read back from it. */
export class PoolHarness {
  readonly metrics = new MetricsRegistry();
  /**
   * How the stand-in engine answers a `ReportStepStarted{confirm}`: a grant,
   * a refusal (an executor-scoped cancellation), or silence.
   */
  answerConfirms: 'grant' | 'refuse' | 'none' = 'grant';
  private readonly pools: ExecutorPool[] = [];
  private engine: Consumer | null = null;

  private constructor(
    readonly log: EmbeddedEventLog,
    private readonly dir: string,
    /** What the log reported through `onWarning` (a batch handler that threw, for one). */
    readonly warnings: string[],
  ) {}

  static async open(): Promise<PoolHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'baton-pool-'));
    const warnings: string[] = [];
    const log = await EmbeddedEventLog.open({
      dir,
      retryBackoffMs: 20,
      maxRetryBackoffMs: 50,
      onWarning: (message) => void warnings.push(message),
    });
    await log.ensureTopics(coreTopics(LAYOUT, [POOL]));
    const harness = new PoolHarness(log, dir, warnings);
    await harness.answerStarts();
    return harness;
  }

  /** The one thing of the engine these tests need: answers to starts that ask for confirmation. */
  private async answerStarts(): Promise<void> {
    const producer = await this.log.producer();
    this.engine = this.log.consumer({
      groupId: 'stand-in-engine',
      topics: [Topics.runCommands],
      eachBatch: async (batch) => {
        for (const record of batch.records) {
          const command = JSON.parse(String(record.value)) as RunCommand;
          if (command.type !== 'ReportStepStarted' || command.confirm !== true) continue;
          const { runId, stepId, attempt, executorId } = command;
          if (this.answerConfirms === 'grant') {
            const grant: StepStartGranted = {
              schemaVersion: 1,
              runId,
              stepId,
              attempt,
              executorId,
              leaseExpiresAt: 0,
            };
            await producer.send([{ topic: Topics.stepGrants, key: runId, value: JSON.stringify(grant) }]);
          } else if (this.answerConfirms === 'refuse') {
            const refusal: StepCancellation = {
              schemaVersion: 1,
              runId,
              stepId,
              attempt,
              reason: 'start_refused',
              executorId,
            };
            await producer.send([
              { topic: Topics.stepCancellations, key: runId, value: JSON.stringify(refusal) },
            ]);
          }
        }
      },
    });
    await this.engine.start();
  }

  pool(
    options: Partial<ExecutorPoolOptions> = {},
    handlers = new HandlerRegistry(),
    clock: Clock = systemClock,
  ): ExecutorPool {
    const runtimes = createStepRuntimes(handlers, { shell: { killGraceMs: 200 } });
    const pool = new ExecutorPool(this.log, clock, this.metrics, SILENT_LOGGER, runtimes, {
      pool: POOL,
      slots: 2,
      executorId: 'executor-a',
      stopGraceMs: 2_000,
      topics: LAYOUT,
      ...options,
    });
    this.pools.push(pool);
    return pool;
  }

  async publish(...values: (StepTask | { key: string; value: string })[]): Promise<void> {
    const producer = await this.log.producer();
    await producer.send(
      values.map((value) =>
        'value' in value
          ? { topic: TASKS_TOPIC, key: value.key, value: value.value }
          : { topic: TASKS_TOPIC, key: value.runId, value: JSON.stringify(value) },
      ),
    );
    await producer.close();
  }

  async publishRaw(topic: string, key: string, value: string): Promise<void> {
    const producer = await this.log.producer();
    await producer.send([{ topic, key, value }]);
    await producer.close();
  }

  async records(topic: string): Promise<LogRecord[]> {
    const partitions = await this.log.partitionCount(topic);
    const all: LogRecord[] = [];
    for (let partition = 0; partition < partitions; partition += 1) {
      for await (const record of this.log.readPartition(topic, partition)) all.push(record);
    }
    return all;
  }

  /** Run commands with their record timestamps, in log order per run. */
  async commands(): Promise<Stamped<RunCommand>[]> {
    const records = await this.records(Topics.runCommands);
    return records.map((record) => ({
      ...(JSON.parse(String(record.value)) as RunCommand),
      timestamp: record.timestamp,
    }));
  }

  async commandsOf<T extends RunCommand['type']>(
    type: T,
  ): Promise<Stamped<Extract<RunCommand, { type: T }>>[]> {
    const all: Stamped<RunCommand>[] = await this.commands();
    return all.filter(
      (command): command is Stamped<Extract<RunCommand, { type: T }>> => command.type === type,
    );
  }

  async stepLogs(): Promise<StepLogs[]> {
    return (await this.records(Topics.stepLogs)).map(
      (record) => JSON.parse(String(record.value)) as StepLogs,
    );
  }

  committedOffset(partition: number): number | undefined {
    return this.log.committedOffset(TASKS_GROUP, TASKS_TOPIC, partition);
  }

  /** A metric's value summed over matching labels; histogram series by full name (`..._count`). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const base = name.replace(/_(count|sum|bucket)$/, '');
    const metric = await (this.metrics.getSingleMetric(name) ?? this.metrics.getSingleMetric(base))?.get();
    const values = (metric?.values ?? []) as { value: number; labels: object; metricName?: string }[];
    const matching = values.filter(
      (value) =>
        (value.metricName === undefined || value.metricName === name) &&
        Object.entries(labels).every(
          ([label, wanted]) => (value.labels as Record<string, unknown>)[label] === wanted,
        ),
    );
    return matching.reduce((sum, value) => sum + value.value, 0);
  }

  /** Waits for a metric to reach `expected` (metrics are recorded just after the reports are written). */
  async metricReaches(name: string, labels: Record<string, string>, expected: number): Promise<void> {
    await waitUntil(async () => (await this.metric(name, labels)) === expected, {
      message: `${name}${JSON.stringify(labels)} = ${expected}`,
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.stop()));
    await this.engine?.stop();
    await this.log.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let runCounter = 0;

/** A task for a fresh run (or `runId`), defaulting to noop. */
export function taskFor<T extends StepTask['type']>(
  type: T,
  spec: Extract<StepTask, { type: T }>['spec'],
  overrides: Partial<Omit<StepTask, 'type' | 'spec'>> = {},
): StepTask {
  runCounter += 1;
  return {
    schemaVersion: 1,
    runId: `run-${runCounter}`,
    workflowId: 'wf',
    workflowVersion: 1,
    stepId: 'step',
    attempt: 1,
    pool: POOL,
    params: {},
    leaseMs: 3_000,
    ...overrides,
    type,
    spec,
  } as StepTask;
}

/** Run ids that land on each partition of the run-keyed topics, `perPartition` of each. */
export function runIdsSpread(perPartition: number): string[] {
  const ids: string[] = [];
  const counts = new Array<number>(LAYOUT.runPartitions).fill(0);
  for (let n = 0; ids.length < perPartition * LAYOUT.runPartitions; n += 1) {
    const id = `spread-${n}`;
    const partition = partitionForKey(id, LAYOUT.runPartitions);
    if (counts[partition] < perPartition) {
      counts[partition] += 1;
      ids.push(id);
    }
  }
  return ids;
}

export function partitionOf(runId: string): number {
  return partitionForKey(runId, LAYOUT.runPartitions);
}

/** A promise the test resolves by hand. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a process has exited (signal 0 says no such process). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
