import { loadAuthConfig, type AuthConfig } from '@baton/auth';
import { definitionLimitsFromEnv, type DefinitionLimits } from '@baton/definitions';
import type { Environment } from '@baton/platform';
import { loadHttpSecurity, type HttpSecurity } from './http/http-security';

/**
 * What a process hosting the API is configured with, read once from the
 * environment its `main.ts` passes in; a bad value stops the start naming the
 * variable. `ApiModule.forRoot(config)` takes it; `configureApi(app, config.http)`
 * applies the HTTP part before `listen`.
 */
export interface ApiConfig {
  /** `BATON_AUTH`, `BATON_ADMIN_TOKEN`, `BATON_OIDC_*`, `BATON_ROLE_MAP`, `BATON_RATE_LIMIT_*`. */
  readonly auth: AuthConfig;
  /** `BATON_CORS_ORIGINS`, `BATON_MAX_BODY_BYTES`. */
  readonly http: HttpSecurity;
  /** `BATON_LIMIT_*`: the bounds a pushed workflow document is checked against. */
  readonly definitionLimits: DefinitionLimits;
}

export function loadApiConfig(env: Environment): ApiConfig {
  return {
    auth: loadAuthConfig(env),
    http: loadHttpSecurity(env),
    definitionLimits: definitionLimitsFromEnv(env),
  };
}
