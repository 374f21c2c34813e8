import { Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, MetricsRegistry } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SQL_CLIENT,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { RunProjectorService } from './projector.service';
import { WorkflowQueueProjectorModule } from './workflow-queue/workflow-queue-projector.module';

/**
 * Starts the projector once the application is up and stops it when modules
 * are destroyed, i.e. before `PlatformModule` closes the log and the database
 * (on application shutdown), so the consumer leaves its group cleanly.
 */
class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly projector: RunProjectorService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}

/** The run projector of a Baton process; needs `PlatformModule` and `ObservabilityModule` (global). */
@Module({
  imports: [WorkflowQueueProjectorModule],
  providers: [
    {
      provide: RunProjectorService,
      inject: [EVENT_LOG, SQL_CLIENT, CLOCK, MetricsRegistry, PLATFORM_CONFIG],
      useFactory: (
        log: EventLog,
        sql: SqlClient,
        clock: Clock,
        registry: MetricsRegistry,
        config: PlatformConfig,
      ) =>
        new RunProjectorService(log, sql, clock, registry, batonLogger('Projector'), {
          topics: config.topics,
        }),
    },
    {
      provide: ProjectorLifecycle,
      inject: [RunProjectorService],
      useFactory: (projector: RunProjectorService) => new ProjectorLifecycle(projector),
    },
  ],
  exports: [RunProjectorService],
})
export class ProjectorModule {}
