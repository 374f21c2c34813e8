import { Counter, Histogram, type Registry } from 'prom-client';

/** The REST API's Prometheus metrics (`baton_api_*`, base units). */
export class ApiMetrics {
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly duration: Histogram<'route' | 'method'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'baton_api_requests_total',
      help: 'HTTP requests answered by the REST API, by route template, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'baton_api_request_duration_seconds',
      help: 'Time from the request reaching its route to the last byte of the answer (event streams excluded).',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
}
