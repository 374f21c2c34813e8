import { type DynamicModule, Module } from '@nestjs/common';
import { ExecutorPoolModule, stepRuntimesFromEnv, type StepRuntimesOptions } from '@baton/executor';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import { migrate } from '@baton/readmodel';

/** Settings of one executor process (README's configuration table). */
export interface ExecutorSettings {
  readonly pool: string;
  readonly slots: number;
  readonly leaseMs: number;
  /** Shell and HTTP sandboxing (`BATON_SHELL_*`, `BATON_HTTP_*`). */
  readonly runtimes: StepRuntimesOptions;
  readonly secretFilesDir: string;
}

export function executorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const slots = Number(env.BATON_EXECUTOR_SLOTS ?? 4);
  const leaseMs = Number(env.BATON_LEASE_MS ?? 30_000);
  if (!Number.isInteger(slots) || slots < 1)
    throw new Error(`BATON_EXECUTOR_SLOTS must be a positive integer`);
  if (!Number.isInteger(leaseMs) || leaseMs < 1_000) throw new Error(`BATON_LEASE_MS must be at least 1000`);
  // A pool of its own: loopback (this machine, Baton's own processes) is refused unless BATON_HTTP_ALLOW says otherwise.
  const { secretFilesDir, ...runtimes } = stepRuntimesFromEnv(env);
  return { pool: env.BATON_EXECUTOR_POOL ?? 'default', slots, leaseMs, runtimes, secretFilesDir };
}

/** One executor pool member as its own process; scale a pool out by starting more of them. */
@Module({})
export class ExecutorAppModule {
  static forSettings(settings: ExecutorSettings = executorSettings()): DynamicModule {
    return {
      module: ExecutorAppModule,
      imports: [
        ObservabilityModule.forService('executor'),
        PlatformModule.forRoot(migrate),
        ExecutorPoolModule.forPool(settings),
      ],
    };
  }
}
