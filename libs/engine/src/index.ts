export { EngineService, type EngineOptions } from './engine.service';
export { EngineMetrics } from './engine.metrics';
export { RunRequestAdmission, type DefinitionSource } from './run-request-admission';
export { processCommands, type ProcessContext, type ProcessedBatch } from './process-commands';
export { EngineModule } from './engine.module';
export { statusCloudEvent } from './status-events';
