export { JsonLogger } from './json-logger';
export { MetricsRegistry } from './metrics.registry';
export { HealthService, type HealthReport } from './health.service';
export { ObservabilityModule } from './observability.module';
