import { Expose, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { readEnvironment, type Environment } from '@baton/platform';
import {
  defaultStepRuntimeTable,
  stepRuntimesFromEnv,
  type HandlerRegistry,
  type StepRuntimesOptions,
} from '../runtimes';
import type { ExecutorPoolModuleOptions } from './executor-pool.module';

/** An executor process's pool variables (README's configuration table). */
export class ExecutorEnvironment {
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'BATON_EXECUTOR_SLOTS must be a positive integer' })
  @Min(1, { message: 'BATON_EXECUTOR_SLOTS must be a positive integer' })
  BATON_EXECUTOR_SLOTS?: number;

  @Expose()
  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]+$/, { message: 'BATON_EXECUTOR_POOL must be a topic-safe name ([a-zA-Z0-9._-])' })
  BATON_EXECUTOR_POOL?: string;
}

/** A pool's settings from the environment; `executorPool` turns them into `ExecutorPoolModule.forPool`'s options. */
export interface ExecutorPoolConfig extends Required<
  Pick<ExecutorPoolModuleOptions, 'pool' | 'slots' | 'secretFilesDir' | 'secretEnv'>
> {
  /** Shell and HTTP sandboxing of the default runtimes (`BATON_SHELL_*`, `BATON_HTTP_*`). */
  readonly sandboxing: Omit<StepRuntimesOptions, 'secrets'>;
}

/**
 * The executor pool a process serves, from the environment its `main.ts`
 * passes in: pool and slots (`slots` when BATON_EXECUTOR_SLOTS is unset), the
 * runtimes' sandboxing (`stepRuntimesFromEnv`), and that environment itself
 * for the runtimes that read the executor's variables (inherited shell env,
 * `env:` secret references). No lease: executors use the engine's, in each task.
 */
export function loadExecutorPoolConfig(
  env: Environment,
  defaults: { readonly slots: number; readonly httpAllow?: readonly string[] },
): ExecutorPoolConfig {
  const vars = readEnvironment(ExecutorEnvironment, env);
  const { secretFilesDir, secretEnv, ...sandboxing } = stepRuntimesFromEnv(env, defaults);
  return {
    pool: vars.BATON_EXECUTOR_POOL ?? 'default',
    slots: vars.BATON_EXECUTOR_SLOTS ?? defaults.slots,
    sandboxing,
    secretFilesDir,
    secretEnv,
  };
}

/**
 * The pool module's options for a composition root: Baton's default runtime
 * table (with `handlers` behind handler steps) under the configured sandboxing.
 */
export function executorPool(
  config: ExecutorPoolConfig,
  handlers: HandlerRegistry,
): ExecutorPoolModuleOptions {
  const { sandboxing, ...pool } = config;
  return { ...pool, runtimes: defaultStepRuntimeTable(handlers, sandboxing) };
}
