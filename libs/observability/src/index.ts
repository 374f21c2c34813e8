export { JsonLogger } from './json-logger';
export { MetricsRegistry } from './metrics.registry';
export { HealthService, type CheckResult, type HealthReport, type ReadinessCheck } from './health.service';
export { ObservabilityModule } from './observability.module';
