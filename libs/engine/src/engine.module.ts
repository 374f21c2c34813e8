import {
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import type { SecretSealer } from '@baton/contracts';
import { batonLogger, MetricsRegistry } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SECRET_SEALER,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import { DefinitionCatalog } from './definitions/definition-catalog';
import { DefinitionCatalogModule } from './definitions/definition-catalog.module';
import { EngineMetrics } from './engine.metrics';
import { EngineService } from './runs/engine.service';
import { RunRequestAdmission } from './run-request-admission';
import { TriggersModule } from './triggers/triggers.module';
import { WorkflowQueueModule } from './workflow-queue/workflow-queue.module';
import { WriterHealth } from './writer-health';
import { WriterHealthModule } from './writer-health.module';

/** What the composition root decides for the engine (its process config). */
export interface EngineModuleOptions {
  /**
   * The lease an executor holds per attempt (`BATON_LEASE_MS`): the engine
   * writes it into every step task and executors ask for exactly that, so the
   * value has one owner.
   */
  readonly leaseMs: number;
}

const ENGINE_OPTIONS = Symbol('EngineModuleOptions');

/** Starts the engine and run-request admission with the application, and stops them with it. */
class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly engine: EngineService,
    private readonly admission: RunRequestAdmission,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
    await this.admission.start();
  }

  /** Both leave their groups at once: the other engines take the partitions over sooner. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.admission.stop(), this.engine.stop()]);
  }
}

@Module({
  imports: [WriterHealthModule, DefinitionCatalogModule, WorkflowQueueModule, TriggersModule],
  providers: [
    {
      provide: EngineMetrics,
      inject: [MetricsRegistry],
      useFactory: (r: MetricsRegistry) => new EngineMetrics(r),
    },
    {
      provide: EngineService,
      inject: [EVENT_LOG, CLOCK, EngineMetrics, PLATFORM_CONFIG, WriterHealth, ENGINE_OPTIONS],
      useFactory: (
        log: EventLog,
        clock: Clock,
        metrics: EngineMetrics,
        config: PlatformConfig,
        health: WriterHealth,
        options: EngineModuleOptions,
      ) => {
        const engine = new EngineService(log, clock, metrics, batonLogger('Engine'), {
          topics: config.topics,
          limits: config.runLimits,
          leaseMs: options.leaseMs,
        });
        health.watch(engine.writer);
        return engine;
      },
    },
    {
      provide: RunRequestAdmission,
      inject: [EVENT_LOG, DefinitionCatalog, CLOCK, EngineMetrics, { token: SECRET_SEALER, optional: true }],
      useFactory: (
        log: EventLog,
        catalog: DefinitionCatalog,
        clock: Clock,
        metrics: EngineMetrics,
        sealer?: SecretSealer | null,
      ) =>
        new RunRequestAdmission(
          log,
          catalog,
          clock,
          metrics,
          batonLogger('Admission'),
          undefined,
          sealer ?? null,
        ),
    },
    {
      provide: EngineLifecycle,
      inject: [EngineService, RunRequestAdmission],
      useFactory: (engine: EngineService, admission: RunRequestAdmission) =>
        new EngineLifecycle(engine, admission),
    },
  ],
  exports: [EngineService],
})
export class EngineModule {
  static forRoot(options: EngineModuleOptions): DynamicModule {
    return { module: EngineModule, providers: [{ provide: ENGINE_OPTIONS, useValue: options }] };
  }
}
