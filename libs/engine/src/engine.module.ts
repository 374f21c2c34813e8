import { Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import type { SecretSealer } from '@baton/contracts';
import { MetricsRegistry } from '@baton/observability';
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
import { EngineService } from './engine.service';
import { RunRequestAdmission } from './run-request-admission';
import { TriggersModule } from './triggers/triggers.module';
import { WorkflowQueueModule } from './workflow-queue/workflow-queue.module';
import { WriterHealth } from './writer-health';
import { WriterHealthModule } from './writer-health.module';

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
      inject: [EVENT_LOG, CLOCK, EngineMetrics, PLATFORM_CONFIG, WriterHealth],
      useFactory: (
        log: EventLog,
        clock: Clock,
        metrics: EngineMetrics,
        config: PlatformConfig,
        health: WriterHealth,
      ) => {
        const engine = new EngineService(log, clock, metrics, new Logger('Engine'), {
          topics: config.topics,
          limits: config.runLimits,
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
          new Logger('Admission'),
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
export class EngineModule {}
