import { Registry } from 'prom-client';
import { TriggerCatalog, type WorkflowTriggers } from './trigger-catalog';
import { TriggerMetrics } from './trigger.metrics';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const quiet = SILENT_LOGGER;

const cronOnly: WorkflowTriggers = {
  workflowId: 'nightly',
  version: 2,
  updatedAt: 0,
  triggers: { cron: [{ schedule: '0 2 * * *', timezone: 'UTC', params: {} }], signals: [] },
};
const signalOnly: WorkflowTriggers = {
  workflowId: 'on-load',
  version: 5,
  updatedAt: 0,
  triggers: { cron: [], signals: [{ signal: 'table.loaded', match: {}, params: {} }] },
};

describe('TriggerCatalog', () => {
  it('serves cron workflows and signal triggers from the last read', async () => {
    const sut = new TriggerCatalog(
      { activeTriggers: async () => [cronOnly, signalOnly] },
      new TriggerMetrics(new Registry()),
      quiet,
    );
    await sut.start();
    sut.stop();
    expect(sut.cronWorkflows()).toEqual([cronOnly]);
    expect(sut.signalTriggers()).toEqual([
      { workflowId: 'on-load', version: 5, signals: signalOnly.triggers.signals },
    ]);
  });

  it('starts only once a read succeeded, and keeps the last list when a later read fails', async () => {
    const registry = new Registry();
    const answers: (WorkflowTriggers[] | Error)[] = [
      new Error('db down'),
      [signalOnly],
      new Error('db down again'),
    ];
    const sut = new TriggerCatalog(
      {
        activeTriggers: async () => {
          const answer = answers.shift() ?? [];
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
      new TriggerMetrics(registry),
      quiet,
      { refreshMs: 5 },
    );
    await sut.start();
    sut.stop();
    expect(sut.signalTriggers().map((w) => w.workflowId)).toEqual(['on-load']);
    expect(await sut.refresh()).toBe(false);
    expect(sut.signalTriggers().map((w) => w.workflowId)).toEqual(['on-load']);
    const failures = await registry.getSingleMetric('baton_trigger_catalog_refresh_failures_total')!.get();
    expect(failures.values[0].value).toBe(2);
  });

  it('picks up changes in the background', async () => {
    let listed = [cronOnly];
    const sut = new TriggerCatalog(
      { activeTriggers: async () => listed },
      new TriggerMetrics(new Registry()),
      quiet,
      {
        refreshMs: 5,
      },
    );
    await sut.start();
    listed = [cronOnly, signalOnly];
    const deadline = Date.now() + 1_000;
    while (sut.signalTriggers().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    sut.stop();
    expect(sut.signalTriggers()).toHaveLength(1);
  });

  it('keeps the list of the read that started last when reads overlap, and readAfter rejects when it cannot read', async () => {
    const pending: ((list: WorkflowTriggers[] | Error) => void)[] = [];
    const sut = new TriggerCatalog(
      {
        activeTriggers: () =>
          new Promise((resolve, reject) =>
            pending.push((list) => (list instanceof Error ? reject(list) : resolve(list))),
          ),
      },
      new TriggerMetrics(new Registry()),
      quiet,
      { refreshMs: 60_000 },
    );
    const older = sut.refresh();
    const newer = sut.readAfter();
    pending[1]([signalOnly]);
    await newer;
    pending[0]([]);
    await older;
    expect(sut.signalTriggers().map((w) => w.workflowId)).toEqual(['on-load']);
    const failing = sut.readAfter();
    pending[2](new Error('db down'));
    await expect(failing).rejects.toThrow('cannot read the triggers from the workflow registry');
    sut.stop();
  });
});
