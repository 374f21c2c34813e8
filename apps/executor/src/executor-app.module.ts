import { type DynamicModule, Module } from '@nestjs/common';
import { ExecutorPoolModule } from '@baton/executor';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';

/** Settings of one executor process (README's configuration table). */
export interface ExecutorSettings {
  readonly pool: string;
  readonly slots: number;
  readonly leaseMs: number;
}

export function executorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const slots = Number(env.BATON_EXECUTOR_SLOTS ?? 4);
  const leaseMs = Number(env.BATON_LEASE_MS ?? 30_000);
  if (!Number.isInteger(slots) || slots < 1)
    throw new Error(`BATON_EXECUTOR_SLOTS must be a positive integer`);
  if (!Number.isInteger(leaseMs) || leaseMs < 1_000) throw new Error(`BATON_LEASE_MS must be at least 1000`);
  return { pool: env.BATON_EXECUTOR_POOL ?? 'default', slots, leaseMs };
}

/** One executor pool member as its own process; scale a pool out by starting more of them. */
@Module({})
export class ExecutorAppModule {
  static forSettings(settings: ExecutorSettings = executorSettings()): DynamicModule {
    return {
      module: ExecutorAppModule,
      imports: [
        ObservabilityModule.forService('executor'),
        PlatformModule.forRoot(),
        ExecutorPoolModule.forPool(settings),
      ],
    };
  }
}
