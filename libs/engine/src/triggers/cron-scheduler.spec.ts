import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { runIdFor, Topics, type RunRequest } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog, type OutgoingRecord, type Producer } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import { CronScheduler } from './cron-scheduler';
import { TriggerCatalog, type WorkflowTriggers } from './trigger-catalog';
import { TriggerMetrics } from './trigger.metrics';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const layout = { runPartitions: 2, requestPartitions: 2 };
const quiet = SILENT_LOGGER;
const at = (iso: string): number => Date.parse(iso);

class FakeClock implements Clock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
}

const nightly: WorkflowTriggers = {
  workflowId: 'nightly',
  version: 1,
  updatedAt: 0,
  triggers: {
    cron: [{ schedule: '*/15 * * * * *', timezone: 'UTC', params: { mode: 'full' } }],
    signals: [],
  },
};

describe('CronScheduler', () => {
  let dir: string;
  let log: EventLog;
  let clock: FakeClock;
  let catalog: TriggerCatalog;
  let listed: WorkflowTriggers[];
  let metrics: TriggerMetrics;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-cron-'));
    log = await EmbeddedEventLog.open({ dir });
    clock = new FakeClock(at('2026-01-05T10:00:05Z'));
    listed = [nightly];
    metrics = new TriggerMetrics(new Registry());
    catalog = new TriggerCatalog({ activeTriggers: async () => listed }, metrics, quiet);
    await catalog.start();
  });

  afterEach(async () => {
    catalog.stop();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A long interval: the test drives the rounds.
  const scheduler = (over: Pick<EventLog, 'ensureTopics' | 'producer'> = log) =>
    new CronScheduler(over, catalog, clock, metrics, quiet, {
      topics: layout,
      intervalMs: 3_600_000,
      catchUpMs: 30_000,
    });

  async function requests(): Promise<RunRequest[]> {
    const out: RunRequest[] = [];
    for (let p = 0; p < layout.requestPartitions; p++) {
      for await (const record of log.readPartition(Topics.runRequests, p)) {
        expect(record.key).toBe('nightly');
        out.push(JSON.parse(record.value!) as RunRequest);
      }
    }
    return out.sort((a, b) => a.requestedAt! - b.requestedAt!);
  }

  it('catches up the ticks of the last catch-up window on start, then publishes each new tick once', async () => {
    const sut = scheduler();
    await sut.start();
    expect((await requests()).map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:59:45.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
    ]);
    clock.nowMs = at('2026-01-05T10:00:14Z');
    expect(await sut.round()).toBe(0);
    clock.nowMs = at('2026-01-05T10:00:31Z');
    expect(await sut.round()).toBe(2);
    await sut.stop();
    expect(await requests()).toEqual(
      ['09:59:45', '10:00:00', '10:00:15', '10:00:30'].map((time) => ({
        schemaVersion: 1,
        workflowId: 'nightly',
        version: 1,
        requestId: `cron:0:2026-01-05T${time}.000Z`,
        params: { mode: 'full' },
        requestedAt: at(`2026-01-05T${time}Z`),
      })),
    );
  });

  it('lets a second scheduler, or a restarted one, publish the same ticks as the same runs', async () => {
    const first = scheduler();
    await first.start();
    await first.stop();
    clock.nowMs = at('2026-01-05T10:00:20Z');
    const second = scheduler();
    await second.start();
    await second.stop();
    const published = await requests();
    const runs = new Set(published.map((r) => runIdFor(r.workflowId, r.requestId)));
    // The second looks back 30 s, to 09:59:50: the 10:00:00 tick is published twice.
    expect(published.map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:59:45.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
      'cron:0:2026-01-05T10:00:15.000Z',
    ]);
    expect(runs.size).toBe(3);
  });

  it('publishes again what a failed round could not, and stops with no trigger listed', async () => {
    let failNext = true;
    const flaky: Pick<EventLog, 'ensureTopics' | 'producer'> = {
      ensureTopics: (topics) => log.ensureTopics(topics),
      producer: async (): Promise<Producer> => {
        const real = await log.producer();
        return {
          send: async (records: readonly OutgoingRecord[]) => {
            if (failNext) {
              failNext = false;
              throw new Error('broker unavailable');
            }
            await real.send(records);
          },
          close: () => real.close(),
        };
      },
    };
    const sut = scheduler(flaky);
    await sut.start();
    expect(await requests()).toEqual([]);
    clock.nowMs = at('2026-01-05T10:00:06Z');
    expect(await sut.round()).toBe(2);
    listed = [];
    await catalog.refresh();
    clock.nowMs = at('2026-01-05T10:01:00Z');
    expect(await sut.round()).toBe(0);
    await sut.stop();
    expect((await requests()).map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:59:45.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
    ]);
  });

  it('skips an invalid trigger and schedules the other triggers of the workflow', async () => {
    listed = [
      {
        ...nightly,
        triggers: {
          cron: [{ schedule: 'every day', timezone: 'UTC', params: {} }, ...nightly.triggers.cron],
          signals: [],
        },
      },
    ];
    await catalog.refresh();
    const sut = scheduler();
    await sut.start();
    await sut.stop();
    expect((await requests()).map((r) => r.requestId)).toEqual([
      'cron:1:2026-01-05T09:59:45.000Z',
      'cron:1:2026-01-05T10:00:00.000Z',
    ]);
  });
});
