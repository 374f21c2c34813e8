import { loadArchiveConfig, type ArchiveConfig } from '@baton/archive';
import { loadServiceConfig, type Environment, type ServiceConfig } from '@baton/platform';

/** The archiver process's config, read once in `main.ts` (README's configuration table). */
export interface ArchiverProcessConfig extends ServiceConfig {
  readonly archive: ArchiveConfig;
}

export function loadArchiverProcessConfig(env: Environment): ArchiverProcessConfig {
  return { ...loadServiceConfig(env, 'archiver', 8084), archive: loadArchiveConfig(env) };
}
