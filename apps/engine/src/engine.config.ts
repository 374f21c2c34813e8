import { loadEngineOptions, type EngineModuleOptions } from '@baton/engine';
import { loadServiceConfig, type Environment, type ServiceConfig } from '@baton/platform';

/** The engine process's config, read once in `main.ts` (README's configuration table). */
export interface EngineProcessConfig extends ServiceConfig {
  readonly engine: EngineModuleOptions;
}

export function loadEngineProcessConfig(env: Environment): EngineProcessConfig {
  return { ...loadServiceConfig(env, 'engine', 8081), engine: loadEngineOptions(env) };
}
