import { type DynamicModule, Module } from '@nestjs/common';
import {
  ExecutorPoolModule,
  executorPool,
  HandlerRegistry,
  loadExecutorPoolConfig,
  type ExecutorPoolConfig,
} from '@baton/executor';
import {
  loadServiceConfig,
  PlatformModule,
  serviceRoot,
  type Environment,
  type ServiceConfig,
} from '@baton/platform';

/**
 * The executor process's config (README's configuration table). No lease of
 * its own: each step task carries the engine's (`BATON_LEASE_MS`).
 */
export interface ExecutorProcessConfig extends ServiceConfig {
  readonly executor: ExecutorPoolConfig;
}

export function loadExecutorProcessConfig(env: Environment): ExecutorProcessConfig {
  // A pool of its own: loopback (this machine, Baton's own processes) is refused unless BATON_HTTP_ALLOW says otherwise.
  return { ...loadServiceConfig(env, 'executor', 8083), executor: loadExecutorPoolConfig(env, { slots: 4 }) };
}

/** One executor pool member as its own process; scale a pool out by starting more of them. */
@Module({})
export class ExecutorAppModule {
  static forConfig(config: ExecutorProcessConfig): DynamicModule {
    return serviceRoot(ExecutorAppModule, config.service, PlatformModule.forLog(config.platform), [
      // A standalone executor registers no handlers: handler steps need a process built with its own.
      ExecutorPoolModule.forPool(executorPool(config.executor, new HandlerRegistry())),
    ]);
  }
}
