export { ApiModule } from './api.module';
export { configureApi, createValidationPipe, setupOpenApi, OPENAPI_PATH } from './configure-api';
export { ID_GENERATOR, randomIds, type IdGenerator } from './ids';
export { StatusEventsHub, type StatusFilter } from './status-events/status-events.hub';
export { SSE_HEARTBEAT_MS } from './status-events/sse';
export type { FieldError } from './http/api.errors';
export { StorageState, isStorageFull, STORAGE_FULL_RETRY_AFTER_S } from './http/storage-state';
export { AUTH_CONFIG } from './auth/auth.tokens';
export { loadHttpSecurity, type HttpSecurity } from './http/http-security';
