import { loadApiConfig, type ApiConfig } from '@baton/api';
import { loadArchiveConfig, type ArchiveConfig } from '@baton/archive';
import { loadServiceConfig, type Environment, type ServiceConfig } from '@baton/platform';

/** The API process's config, read once in `main.ts` (README's configuration table). */
export interface ApiProcessConfig extends ServiceConfig {
  readonly api: ApiConfig;
  /** Read when the read model no longer has a run's history. */
  readonly archive: ArchiveConfig;
}

export function loadApiProcessConfig(env: Environment): ApiProcessConfig {
  return { ...loadServiceConfig(env, 'api', 8080), api: loadApiConfig(env), archive: loadArchiveConfig(env) };
}
