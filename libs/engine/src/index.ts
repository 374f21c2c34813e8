export { EngineService, type EngineOptions } from './runs/engine.service';
export { EngineMetrics } from './engine.metrics';
export { RunRequestAdmission, type DefinitionSource } from './run-request-admission';
export { processCommands, type ProcessContext, type ProcessedBatch } from './runs/process-commands';
export { EngineModule, type EngineModuleOptions } from './engine.module';
export { DEFAULT_LEASE_MS, EngineEnvironment, loadEngineOptions } from './engine.config';
export { statusEventRecord } from './runs/status-events';
