import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, JsonLogger, MetricsRegistry } from '@baton/observability';
import type { SecretSealer } from '@baton/contracts';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SECRET_SEALER,
  type Clock,
  type Environment,
  type PlatformConfig,
} from '@baton/platform';
import { StepRuntimes, StepSecrets, type StepRuntimeTable } from '../runtimes';
import { ExecutorPool } from './executor-pool';
import type { ExecutorPoolOptions } from './executor-pool.options';

export interface ExecutorPoolModuleOptions extends Omit<ExecutorPoolOptions, 'executorId'> {
  /** Default `<hostname>-<pid>-<random>`: unique per process, readable in the read model. */
  readonly executorId?: string;
  /**
   * The runtime of each step type (type → runtime), chosen by the composition
   * root, e.g. `defaultStepRuntimeTable(handlers, sandboxing)`. The module
   * only puts the secrets step in front of it.
   */
  readonly runtimes: StepRuntimeTable;
  /** `file:` secret references are read from here only (`BATON_SECRET_FILES_DIR`). Default `/run/secrets`. */
  readonly secretFilesDir?: string;
  /** Where `env:NAME` secret references are read: the executor's environment, passed by the app. Default none. */
  readonly secretEnv?: Environment;
}

/** Starts the pool once the application is up; stops it (gracefully) before the platform closes the log. */
class ExecutorPoolLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly pool: ExecutorPool) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pool.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.stop();
  }
}

export function defaultExecutorId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * One executor pool member in a Nest application. Needs the platform's
 * `EVENT_LOG` and `CLOCK` and the `MetricsRegistry` (ObservabilityModule);
 * topics are created from `PLATFORM_CONFIG` when it is there. Import once
 * per pool this process serves.
 *
 * @example
 *   @Module({ imports: [PlatformModule.forRoot(migrate, config.platform), ObservabilityModule.forService('executor'),
 *                       ExecutorPoolModule.forPool({ pool: 'default', slots: 8,
 *                         runtimes: defaultStepRuntimeTable(handlers) })] })
 *   export class ExecutorAppModule {}
 */
@Module({})
export class ExecutorPoolModule {
  static forPool(options: ExecutorPoolModuleOptions): DynamicModule {
    const poolToken = Symbol(`ExecutorPool(${options.pool})`);
    return {
      module: ExecutorPoolModule,
      providers: [
        {
          provide: poolToken,
          inject: [
            EVENT_LOG,
            CLOCK,
            MetricsRegistry,
            { token: PLATFORM_CONFIG, optional: true },
            { token: JsonLogger, optional: true },
            { token: SECRET_SEALER, optional: true },
          ],
          useFactory: (
            log: EventLog,
            clock: Clock,
            metrics: MetricsRegistry,
            config: PlatformConfig | undefined,
            logger: JsonLogger | undefined,
            sealer: SecretSealer | null | undefined,
          ) => {
            const { runtimes: table, executorId, topics, secretFilesDir, secretEnv, ...rest } = options;
            // Every pool opens sealed secrets with the platform's key (none: such steps fail as platform errors).
            const runtimes = new StepRuntimes(
              table,
              new StepSecrets({
                sealer: sealer ?? null,
                filesDir: secretFilesDir,
                ...(secretEnv === undefined ? {} : { env: secretEnv }),
              }),
            );
            return new ExecutorPool(
              log,
              clock,
              metrics,
              batonLogger('ExecutorPool', logger ?? JsonLogger.forProcess()),
              runtimes,
              { ...rest, executorId: executorId ?? defaultExecutorId(), topics: topics ?? config?.topics },
            );
          },
        },
        {
          provide: ExecutorPoolLifecycle,
          inject: [poolToken],
          useFactory: (pool: ExecutorPool) => new ExecutorPoolLifecycle(pool),
        },
      ],
    };
  }
}
