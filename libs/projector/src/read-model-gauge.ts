import { BoundedLabel } from '@baton/observability';
import type { SqlClient } from '@baton/sql';
import { Gauge, type Registry } from 'prom-client';

export interface ReadModelGaugeOptions {
  readonly name: string;
  readonly help: string;
  /** Answers rows `{ workflow_id, value }`, one per workflow. */
  readonly sql: string;
  /** The query's parameters, read at each scrape (a time, say). */
  readonly params?: () => readonly unknown[];
}

/**
 * A gauge by workflow id whose values the read model answers at each scrape:
 * state (how many runs wait, run, are overdue), which the read model holds
 * whole, where a counter in one process would see only its share. Workflow
 * ids beyond the `BoundedLabel` cap add up under `other`; a workflow that
 * drops out of the answer loses its series. A failing database leaves the
 * gauge empty for that scrape rather than failing /metrics. Every projector
 * replica reports the same values: aggregate with `max`, not `sum`.
 */
export function readModelGauge(
  registry: Registry,
  sql: SqlClient,
  options: ReadModelGaugeOptions,
): Gauge<'workflow'> {
  const workflow = new BoundedLabel();
  return new Gauge({
    name: options.name,
    help: options.help,
    labelNames: ['workflow'],
    registers: [registry],
    async collect() {
      const rows = await sql
        .query<{ workflow_id: string; value: string | number }>(options.sql, options.params?.() ?? [])
        .catch(() => []);
      const byLabel = new Map<string, number>();
      for (const row of rows) {
        const label = workflow.of(row.workflow_id);
        byLabel.set(label, (byLabel.get(label) ?? 0) + Number(row.value));
      }
      this.reset();
      for (const [label, value] of byLabel) this.set({ workflow: label }, value);
    },
  });
}
