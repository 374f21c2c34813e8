import { Registry } from 'prom-client';
import { HealthService } from '@baton/observability';
import type { PartitionHealth } from './writer/keyed-state-processor';
import { MAX_FAILING_BATCHES, WriterHealth } from './writer-health';

describe('WriterHealth', () => {
  function given(partitions: PartitionHealth[]) {
    const registry = new Registry();
    const health = new HealthService('engine');
    const sut = new WriterHealth(registry, health);
    sut.watch({ name: 'Engine', health: () => partitions });
    sut.watch({ name: 'WorkflowQueue', health: () => [] });
    return { sut, registry, health };
  }

  it('is ready while no partition is fenced or failing batch after batch, and says how many each writer owns', async () => {
    const { health } = given([
      { partition: 0, fenced: false, failingBatches: 0 },
      { partition: 3, fenced: false, failingBatches: MAX_FAILING_BATCHES - 1 },
    ]);
    expect((await health.ready()).checks?.writers).toEqual({
      ok: true,
      detail: { partitionsOwned: { Engine: 2, WorkflowQueue: 0 }, problems: [] },
    });
  });

  it('is not ready with a fenced partition or one whose batches keep failing, naming them', async () => {
    const { health } = given([
      { partition: 1, fenced: true, failingBatches: 1 },
      { partition: 2, fenced: false, failingBatches: MAX_FAILING_BATCHES },
    ]);
    const report = await health.ready();
    expect(report.status).toBe('unavailable');
    expect(report.checks?.writers.detail).toMatchObject({
      problems: [
        'Engine partition 1: producer fenced',
        `Engine partition 2: ${MAX_FAILING_BATCHES} batches failed in a row`,
      ],
    });
  });

  it('exposes partitions owned, fenced and consecutive batch failures as gauges', async () => {
    const { registry } = given([
      { partition: 1, fenced: true, failingBatches: 4 },
      { partition: 2, fenced: false, failingBatches: 0 },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('baton_writer_partitions_owned{writer="Engine"} 2');
    expect(text).toContain('baton_writer_partitions_fenced{writer="Engine"} 1');
    expect(text).toContain('baton_writer_batch_failures_consecutive{writer="Engine",partition="1"} 4');
  });
});
