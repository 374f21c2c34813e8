import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadApiConfig } from '@baton/api';
import { loadArchiveConfig } from '@baton/archive';
import { loadEngineOptions } from '@baton/engine';
import { loadExecutorPoolConfig } from '@baton/executor';
import { loadServiceConfig, type Environment, type ServiceConfig } from '@baton/platform';
import type { AllInOneOptions } from './app.module';

/** The all-in-one process's config, read once in `main.ts` (documented in the README). */
export interface BatonConfig extends AllInOneOptions, ServiceConfig {}

export function loadConfig(env: Environment): BatonConfig {
  const service = loadServiceConfig(env, 'baton', 8080);
  const examples = resolve(env.BATON_EXAMPLES_DIR ?? 'examples');
  // On a laptop the examples call Baton's own health check on loopback (the API binds loopback and
  // needs a token); a distributed executor refuses loopback unless told otherwise.
  const executor = loadExecutorPoolConfig(env, { slots: 8, httpAllow: ['loopback'] });
  return {
    ...service,
    // The all-in-one makes its secrets key on first start: a newcomer never has to.
    platform: { ...service.platform, secrets: { ...service.platform.secrets, createKeyFile: true } },
    engine: loadEngineOptions(env),
    api: loadApiConfig(env),
    archive: loadArchiveConfig(env),
    // Its one pool is `default` (BATON_EXECUTOR_POOL names a separate executor's pool).
    executor: { ...executor, pool: 'default' },
    examplesDir: env.BATON_EXAMPLES_DIR === '' || !existsSync(examples) ? null : examples,
  };
}
