export { systemClock, type Clock } from './clock';
export { CLOCK, EVENT_LOG, PLATFORM_CONFIG, SECRET_SEALER, SQL_CLIENT } from './tokens';
export { openSecretSealer, type SecretsConfig } from './secrets-key';
export { loadPlatformConfig, type PlatformConfig } from './platform.config';
export { openDatabase, openEventLog, PlatformModule, type DatabaseSchema } from './platform.module';
export { bootstrapService, configOrExit, type ServiceBootstrap } from './bootstrap';
export { ConfigError, readEnvironment, ServiceEnvironment, type Environment } from './environment';
export { DEFAULT_HOST, loadServiceConfig, type ServiceConfig } from './service-config';
export { serviceRoot } from './service-root';
export {
  DeadLetteringWorker,
  type DeadLetteringWorkerOptions,
  type WorkerResult,
} from './dead-lettering-worker';
