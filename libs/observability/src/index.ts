export { batonLogger, type BatonLogger, type LogFields } from './baton-logger';
export { JsonLogger, type LogFormat, type LogSettings } from './json-logger';
export { MetricsRegistry } from './metrics.registry';
export { BoundedLabel, MAX_WORKFLOW_LABELS, OVERFLOW_LABEL } from './bounded-label';
export { HealthService, type CheckResult, type HealthReport, type ReadinessCheck } from './health.service';
export { ObservabilityModule } from './observability.module';
