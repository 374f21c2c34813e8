export { systemClock, type Clock } from './clock';
export { CLOCK, EVENT_LOG, PLATFORM_CONFIG, SECRET_SEALER, SQL_CLIENT } from './tokens';
export { openSecretSealer, type SecretsConfig } from './secrets-key';
export { loadPlatformConfig, type PlatformConfig } from './platform.config';
export { openDatabase, openEventLog, PlatformModule, type DatabaseSchema } from './platform.module';
export { bootstrapService, type ServiceBootstrap } from './bootstrap';
export {
  DeadLetteringWorker,
  type DeadLetteringWorkerOptions,
  type WorkerResult,
} from './dead-lettering-worker';
