export { EngineService, type EngineOptions } from './engine.service';
export { EngineMetrics } from './engine.metrics';
export { RunRequestAdmission, type DefinitionSource } from './run-request-admission';
export { processCommands, type ProcessContext, type ProcessedBatch } from './process-commands';
export { EngineModule, type EngineModuleOptions } from './engine.module';
export { DEFAULT_LEASE_MS, EngineEnvironment, loadEngineOptions } from './engine.config';
export { statusCloudEvent } from './status-events';
