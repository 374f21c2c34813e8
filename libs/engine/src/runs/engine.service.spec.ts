import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { RunEvent } from '@baton/domain';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog } from '@baton/eventlog';
import { systemClock } from '@baton/platform';
import { isAppliedInputKey } from '../writer/applied-input';
import { EngineMetrics } from '../engine.metrics';
import { EngineService } from './engine.service';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const layout = { runPartitions: 2, requestPartitions: 1 };
const quiet = SILENT_LOGGER;

const definition = definitionFromYaml(`
id: nap
steps:
  - { id: first, type: noop }
  - { id: nap, type: sleep, duration: 200ms, depends_on: [first] }
  - { id: last, type: noop, depends_on: [nap] }
`);

describe('EngineService on the embedded log', () => {
  let dir: string;
  let log: EventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-engine-'));
    log = await EmbeddedEventLog.open({ dir });
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function engine(): EngineService {
    return new EngineService(log, systemClock, new EngineMetrics(new Registry()), quiet, { topics: layout });
  }

  async function send(command: { runId: string } & Record<string, unknown>): Promise<void> {
    const producer = await log.producer();
    await producer.send([{ topic: Topics.runCommands, key: command.runId, value: JSON.stringify(command) }]);
    await producer.close();
  }

  async function eventsOf(runId: string): Promise<RunEvent[]> {
    const events: RunEvent[] = [];
    for (let partition = 0; partition < layout.runPartitions; partition++) {
      for await (const record of log.readPartition(Topics.runEvents, partition)) {
        if (record.key === runId) events.push(JSON.parse(record.value!) as RunEvent);
      }
    }
    return events;
  }

  async function until(runId: string, done: (events: RunEvent[]) => boolean): Promise<RunEvent[]> {
    const deadline = Date.now() + 4_000;
    for (;;) {
      const events = await eventsOf(runId);
      if (done(events)) return events;
      if (Date.now() > deadline)
        throw new Error(`timed out; events: ${events.map((e) => e.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function settles(read: () => number, expected: number): Promise<void> {
    const deadline = Date.now() + 4_000;
    while (read() !== expected && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(read()).toBe(expected);
  }

  const has = (type: string, stepId?: string) => (events: RunEvent[]) =>
    events.some((e) => e.type === type && (stepId === undefined || ('stepId' in e && e.stepId === stepId)));

  const meta = (commandId: string) => ({ commandId, at: 0 });
  const report = (type: string, stepId: string, extra: object = {}) => ({
    type,
    runId: 'r1',
    stepId,
    attempt: 1,
    executorId: 'x1',
    metadata: meta(`${type}-${stepId}`),
    ...extra,
  });

  /** Starts run r1 and reports its step `first` started and done. */
  async function startAndCompleteFirst(workflow: typeof definition): Promise<void> {
    const start = { type: 'StartRun', runId: 'r1', params: {}, requestId: 'q', scheduledAt: 0 };
    await send({ ...start, definition: workflow, metadata: meta('s') });
    await until('r1', has('StepReady', 'first'));
    await send(report('ReportStepStarted', 'first', { leaseDurationMs: 30_000 }));
    await send(report('CompleteStep', 'first', { result: {} }));
  }

  it('drives a run through executor reports and a durable sleep timer to success, and survives a restart', async () => {
    const first = engine();
    await first.start();
    await startAndCompleteFirst(definition);

    // The sleep step is decided by a FireTimer the engine writes into the log itself.
    await until('r1', has('StepSucceeded', 'nap'));
    await first.stop();

    // A new engine restores the run from the state topic and goes on from there.
    const second = engine();
    await second.start();
    await send(report('ReportStepStarted', 'last', { leaseDurationMs: 30_000 }));
    await send(report('CompleteStep', 'last', { result: {} }));
    const events = await until('r1', has('RunSucceeded'));
    await second.stop();

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'CommandRejected')).toEqual([]);

    const tasks: string[] = [];
    for (let partition = 0; partition < layout.runPartitions; partition++) {
      for await (const record of log.readPartition('baton.step-tasks.default', partition)) {
        tasks.push((JSON.parse(record.value!) as { stepId: string }).stepId);
      }
    }
    expect(tasks).toEqual(['first', 'last']);
  });

  it('arms the timers of runs it restores on takeover at once, with no further traffic, and counts them as owned', async () => {
    const longNap = definitionFromYaml(`
id: long-nap
steps:
  - { id: first, type: noop }
  - { id: nap, type: sleep, duration: 1s, depends_on: [first] }
  - { id: last, type: noop, depends_on: [nap] }
`);
    const first = engine();
    await first.start();
    await startAndCompleteFirst(longNap);
    await until('r1', has('StepSucceeded', 'first'));

    // A second engine joins, then the first leaves before the sleep is due:
    // the second takes the run over in a rebalance, after its own start.
    const registry = new Registry();
    const second = new EngineService(log, systemClock, new EngineMetrics(registry), quiet, {
      topics: layout,
    });
    await second.start();
    await first.stop();
    const deadline = Date.now() + 4_000;
    while (second.runsOwned === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const owned = await registry.getSingleMetric('baton_engine_runs_owned')!.get();
    expect(owned.values[0]?.value).toBe(1);

    // Nothing is sent any more: the restored sleep timer must fire by itself.
    await until('r1', has('StepReady', 'last'));
    await second.stop();
  });

  it('forgets each foreach iteration once it ended: only the parent is held, before and after a restart', async () => {
    const loop = definitionFromYaml(`
id: loop
steps:
  - id: each
    type: foreach
    loop_params:
      n: { range: { from: 0, to: 5 } }
    concurrency: 2
    steps:
      - { id: nap, type: sleep, duration: 10ms }
`);
    const first = engine();
    await first.start();
    await send({
      type: 'StartRun',
      runId: 'p',
      definition: loop,
      params: {},
      requestId: 'q',
      scheduledAt: 0,
      metadata: meta('s'),
    });
    const events = await until('p', has('RunSucceeded'));
    expect(events.filter((e) => e.type === 'ChildRunEnded')).toHaveLength(5);
    // The last child is forgotten by its own partition's batch, which may still be finishing
    // when the parent (another partition) has already succeeded: held count settles, never grows.
    await settles(() => first.runsOwned, 1);

    // The state topic ends every child with a tombstone, so a restore does not bring them back.
    const latest = new Map<string, string | null>();
    for (let partition = 0; partition < layout.runPartitions; partition++) {
      for await (const record of log.readPartition(Topics.runState, partition))
        if (!isAppliedInputKey(record.key)) latest.set(record.key, record.value);
    }
    const children = [...latest.keys()].filter((key) => key !== 'p');
    expect(children.sort()).toEqual(['p~each~1~0', 'p~each~1~1', 'p~each~1~2', 'p~each~1~3', 'p~each~1~4']);
    expect(children.map((key) => latest.get(key))).toEqual([null, null, null, null, null]);
    await first.stop();

    const second = engine();
    await second.start();
    expect(second.runsOwned).toBe(1);
    await second.stop();
  });

  it('treats a silent executor as lost when its lease expires: platform error, retry, kill order', async () => {
    const sut = engine();
    await sut.start();
    await send({
      type: 'StartRun',
      runId: 'r1',
      definition,
      params: {},
      requestId: 'q',
      scheduledAt: 0,
      metadata: meta('s'),
    });
    await until('r1', has('StepReady', 'first'));
    await send(report('ReportStepStarted', 'first', { leaseDurationMs: 150 }));

    const events = await until('r1', has('StepRetryScheduled', 'first'));
    await sut.stop();
    // The default policy retries platform errors (10 times, exponential backoff).
    expect(events.find((e) => e.type === 'StepFailed')).toMatchObject({
      stepId: 'first',
      errorKind: 'platform',
      willRetry: true,
    });
    const cancellations = [];
    for await (const record of log.readPartition(Topics.stepCancellations, 0))
      cancellations.push(JSON.parse(record.value!));
    expect(cancellations).toEqual([
      { schemaVersion: 1, runId: 'r1', stepId: 'first', attempt: 1, reason: 'lease_expired' },
    ]);
  });
});
