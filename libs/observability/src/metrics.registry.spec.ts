import { MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry', () => {
  it("serves prom-client's process and Node.js metrics under their stock names, labelled by service", async () => {
    const sut = MetricsRegistry.withDefaults('engine');
    const text = await sut.metrics();
    expect(text).toContain('process_cpu_seconds_total{service="engine"}');
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="engine"\} \d+/m);
    expect(text).not.toContain('baton_process_');
    expect(text).not.toContain('baton_nodejs_');
  });

  it('has no gauge whose name ends in _total (the suffix is for counters)', async () => {
    const sut = MetricsRegistry.withDefaults('api');
    const gauges = (await sut.getMetricsAsJSON()).filter((m) => String(m.type) === 'gauge');
    expect(gauges.length).toBeGreaterThan(5);
    expect(gauges.map((m) => m.name).filter((name) => name.endsWith('_total'))).toEqual([]);
    expect(gauges.map((m) => m.name)).toContain('nodejs_active_handles');
  });
});
