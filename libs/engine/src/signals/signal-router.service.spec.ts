import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { DeliverSignal } from '@baton/domain';
import type { SignalRecord } from '@baton/domain/signals';
import { Topics, type RunRequest } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog } from '@baton/eventlog';
import { systemClock } from '@baton/platform';
import { TriggerCatalog, type WorkflowTriggers } from '../triggers/trigger-catalog';
import { TriggerMetrics } from '../triggers/trigger.metrics';
import { SignalRouterMetrics } from './signal-router.metrics';
import { SignalRouterService } from './signal-router.service';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const layout = { runPartitions: 2, requestPartitions: 2 };
const quiet = SILENT_LOGGER;

const workflows: WorkflowTriggers[] = [
  {
    workflowId: 'sales.report',
    version: 2,
    updatedAt: 0,
    triggers: {
      cron: [],
      signals: [{ signal: 'table.loaded', match: { table: 'sales' }, params: { mode: { literal: 'full' } } }],
    },
  },
];

describe('SignalRouterService on the embedded log', () => {
  let dir: string;
  let log: EventLog;
  let catalog: TriggerCatalog;
  let registry: Registry;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-signals-'));
    log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
    registry = new Registry();
    catalog = new TriggerCatalog(
      { activeTriggers: async () => workflows },
      new TriggerMetrics(registry),
      quiet,
    );
    await catalog.start();
  });

  afterEach(async () => {
    catalog.stop();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function router(metrics = new SignalRouterMetrics(new Registry())): SignalRouterService {
    return new SignalRouterService(log, systemClock, catalog, metrics, quiet, { topics: layout });
  }

  async function send(...records: SignalRecord[]): Promise<void> {
    const producer = await log.producer();
    await producer.send(
      records.map((r) => ({ topic: Topics.signals, key: r.name, value: JSON.stringify(r) })),
    );
    await producer.close();
  }

  async function all<T>(topic: string): Promise<T[]> {
    const out: T[] = [];
    for (let p = 0; p < (await log.partitionCount(topic)); p++) {
      for await (const record of log.readPartition(topic, p)) out.push(JSON.parse(record.value!) as T);
    }
    return out;
  }

  async function until<T>(topic: string, count: number): Promise<T[]> {
    const deadline = Date.now() + 4_000;
    for (;;) {
      const found = await all<T>(topic);
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} records on ${topic}: ${found.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function eventually(check: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + 2_000;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }

  const opened = (runId: string, match = {}): SignalRecord => ({
    type: 'SignalWaitOpened',
    name: 'table.loaded',
    runId,
    stepId: 'wait',
    attempt: 1,
    match,
  });
  const sent = (signalId: string, params = {}): SignalRecord => ({
    type: 'SignalSent',
    signalId,
    name: 'table.loaded',
    params,
    sentAt: 1_000,
  });

  it('delivers signals and fires triggers once, across a restart that restores the open waits', async () => {
    const metrics = new SignalRouterMetrics(registry);
    const first = router(metrics);
    await first.start();
    await send(
      opened('r1', { table: 'sales' }),
      opened('r2', { table: 'orders' }),
      sent('s1', { table: 'sales' }),
    );
    const [delivered] = await until<DeliverSignal>(Topics.runCommands, 1);
    expect(delivered).toMatchObject({
      type: 'DeliverSignal',
      runId: 'r1',
      signalId: 's1',
      signalParams: { table: 'sales' },
    });
    const [request] = await until<RunRequest>(Topics.runRequests, 1);
    expect(request).toMatchObject({
      workflowId: 'sales.report',
      version: 2,
      requestId: 'signal:s1:0',
      params: { mode: 'full' },
    });
    // Metrics count after the commit, a moment after the records show.
    await eventually(async () =>
      expect((await registry.getSingleMetric('baton_signal_waits_open')!.get()).values[0].value).toBe(1),
    );
    expect((await registry.getSingleMetric('baton_signals_kept')!.get()).values[0].value).toBe(1);
    expect((await registry.getSingleMetric('baton_signal_deliveries_total')!.get()).values[0].value).toBe(1);
    await first.stop();

    // A new router restores r2's wait and the ids it routed from the state topic.
    const second = router();
    await second.start();
    await send(sent('s1', { table: 'orders' }), sent('s2', { table: 'orders' }));
    const commands = await until<DeliverSignal>(Topics.runCommands, 2);
    await second.stop();
    expect(commands.map((c) => [c.runId, c.signalId])).toEqual([
      ['r1', 's1'],
      ['r2', 's2'],
    ]);
    expect(await all(Topics.runRequests)).toHaveLength(1);
    expect(await all(Topics.deadLetters)).toEqual([]);
  });

  it('routes a signal against the triggers of the registry as of the signal, not of the last background read', async () => {
    // The background refresh would take a minute: only the read before the batch can see the push.
    let listed: WorkflowTriggers[] = [];
    let readable = true;
    const late = new TriggerCatalog(
      {
        activeTriggers: async () => {
          if (!readable) throw new Error('db down');
          return listed;
        },
      },
      new TriggerMetrics(new Registry()),
      quiet,
      { refreshMs: 60_000 },
    );
    await late.start();
    const sut = new SignalRouterService(
      log,
      systemClock,
      late,
      new SignalRouterMetrics(new Registry()),
      quiet,
      {
        topics: layout,
      },
    );
    await sut.start();
    listed = workflows; // the push, acknowledged before the signal is sent
    await send(sent('s1', { table: 'sales' }));
    expect(await until<RunRequest>(Topics.runRequests, 1)).toMatchObject([{ requestId: 'signal:s1:0' }]);

    // While the registry cannot be read, signals wait (they are not routed against a stale list).
    readable = false;
    await send(sent('s2', { table: 'sales' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await all(Topics.runRequests)).toHaveLength(1);
    readable = true;
    expect(await until<RunRequest>(Topics.runRequests, 2)).toMatchObject([{}, { requestId: 'signal:s2:0' }]);
    await sut.stop();
    late.stop();
  });
});
