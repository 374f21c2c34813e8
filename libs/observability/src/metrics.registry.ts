import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default gauges whose names end in `_total`, a suffix
 * Prometheus reserves for counters (`rate()` over them is meaningless). Each
 * duplicates a gauge prom-client also serves, per type, under the name
 * without the suffix (`nodejs_active_handles{type="Socket"}`): sum that one.
 * docs/operations.md, "Renamed metrics".
 */
export const DROPPED_DEFAULT_GAUGES: Readonly<Record<string, string>> = {
  nodejs_active_handles_total: 'sum(nodejs_active_handles)',
  nodejs_active_requests_total: 'sum(nodejs_active_requests)',
  nodejs_active_resources_total: 'sum(nodejs_active_resources)',
};

/**
 * The process's Prometheus registry. Injected (not the prom-client global) so
 * tests and the all-in-one process can hold several without clashes. Baton's
 * own metric names start with `baton_` and carry base units (`_seconds`,
 * `_bytes`); prom-client's process and Node.js metrics keep their stock names
 * (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, ...) so stock
 * dashboards find them.
 */
export class MetricsRegistry extends Registry {
  static withDefaults(service: string): MetricsRegistry {
    const registry = new MetricsRegistry();
    registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: registry });
    for (const name of Object.keys(DROPPED_DEFAULT_GAUGES)) registry.removeSingleMetric(name);
    return registry;
  }
}
