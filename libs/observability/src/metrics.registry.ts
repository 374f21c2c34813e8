import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's Prometheus registry. Injected (not the prom-client global) so
 * tests and the all-in-one process can hold several without clashes. Metric
 * names start with `baton_` and carry base units (`_seconds`, `_bytes`).
 */
export class MetricsRegistry extends Registry {
  static withDefaults(service: string): MetricsRegistry {
    const registry = new MetricsRegistry();
    registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: registry, prefix: 'baton_' });
    return registry;
  }
}
