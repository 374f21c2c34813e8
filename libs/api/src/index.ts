export { ApiModule } from './api.module';
export { configureApi, createValidationPipe, setupOpenApi, OPENAPI_PATH } from './configure-api';
export { ID_GENERATOR, randomIds, type IdGenerator } from './ids';
export { StatusEventsHub, type StatusFilter } from './status-events/status-events.hub';
export { SSE_HEARTBEAT_MS } from './status-events/sse';
export type { FieldError } from './http/api.errors';
export { AUTH_CONFIG } from './auth/auth.tokens';
export { loadHttpSecurity, type HttpSecurity } from './http/http-security';
