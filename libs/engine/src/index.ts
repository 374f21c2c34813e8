export { EngineService, type EngineOptions } from './runs/engine.service';
export { EngineMetrics } from './engine.metrics';
export { RunRequestAdmission, type DefinitionSource } from './run-request-admission';
export { processCommands, type ProcessContext, type ProcessedBatch } from './runs/process-commands';
export { EngineModule } from './engine.module';
export { statusCloudEvent } from './runs/status-events';
