import { Gauge, type Registry } from 'prom-client';
import type { CheckResult, HealthService } from '@baton/observability';
import type { WriterHealthSource } from './writer/keyed-state-processor';

/** Batches failing in a row on one partition before its process stops being ready. */
export const MAX_FAILING_BATCHES = 5;

/**
 * Readiness and metrics of the single writers of an engine process (runs,
 * workflow queue, signal router): one readiness check, `writers`, which
 * fails while a partition's producer is fenced or its batches keep failing,
 * and gauges read at every scrape:
 * `baton_writer_partitions_owned{writer}`,
 * `baton_writer_partitions_fenced{writer}`,
 * `baton_writer_batch_failures_consecutive{writer,partition}`.
 *
 * @example
 *   const health = new WriterHealth(registry, healthService);
 *   health.watch(engine.writer);
 */
export class WriterHealth {
  private readonly sources: WriterHealthSource[] = [];

  constructor(registry: Registry, health: HealthService | undefined) {
    const sources = this.sources;
    const registers = [registry];
    new Gauge({
      name: 'baton_writer_partitions_owned',
      help: 'Input partitions assigned to this process, per single writer (Engine, WorkflowQueue, SignalRouter).',
      labelNames: ['writer'],
      registers,
      collect() {
        this.reset();
        for (const source of sources) this.set({ writer: source.name }, source.health().length);
      },
    });
    new Gauge({
      name: 'baton_writer_partitions_fenced',
      help: 'Assigned partitions whose transactional producer is fenced and not re-opened yet.',
      labelNames: ['writer'],
      registers,
      collect() {
        this.reset();
        for (const source of sources)
          this.set({ writer: source.name }, source.health().filter((p) => p.fenced).length);
      },
    });
    new Gauge({
      name: 'baton_writer_batch_failures_consecutive',
      help: 'Batches of an assigned partition that failed in a row since its last commit.',
      labelNames: ['writer', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const source of sources) {
          for (const { partition, failingBatches } of source.health())
            this.set({ writer: source.name, partition: String(partition) }, failingBatches);
        }
      },
    });
    health?.register('writers', () => this.readiness());
  }

  watch(source: WriterHealthSource): void {
    this.sources.push(source);
  }

  readiness(): CheckResult {
    const problems: string[] = [];
    const partitionsOwned: Record<string, number> = {};
    for (const source of this.sources) {
      const partitions = source.health();
      partitionsOwned[source.name] = partitions.length;
      for (const { partition, fenced, failingBatches } of partitions) {
        if (fenced) problems.push(`${source.name} partition ${partition}: producer fenced`);
        else if (failingBatches >= MAX_FAILING_BATCHES)
          problems.push(`${source.name} partition ${partition}: ${failingBatches} batches failed in a row`);
      }
    }
    return { ok: problems.length === 0, detail: { partitionsOwned, problems } };
  }
}
