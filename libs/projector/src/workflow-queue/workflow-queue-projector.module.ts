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
import { WorkflowQueueProjectorService } from './workflow-queue-projector.service';

/** Starts with the application; stops before `PlatformModule` closes the log and the database. */
class WorkflowQueueProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly projector: WorkflowQueueProjectorService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}

/** The workflow queue projector of a Baton process; needs `PlatformModule` and `ObservabilityModule` (global). */
@Module({
  providers: [
    {
      provide: WorkflowQueueProjectorService,
      inject: [EVENT_LOG, SQL_CLIENT, CLOCK, MetricsRegistry, PLATFORM_CONFIG],
      useFactory: (
        log: EventLog,
        sql: SqlClient,
        clock: Clock,
        registry: MetricsRegistry,
        config: PlatformConfig,
      ) =>
        new WorkflowQueueProjectorService(log, sql, clock, registry, batonLogger('WorkflowQueueProjector'), {
          topics: config.topics,
        }),
    },
    {
      provide: WorkflowQueueProjectorLifecycle,
      inject: [WorkflowQueueProjectorService],
      useFactory: (projector: WorkflowQueueProjectorService) =>
        new WorkflowQueueProjectorLifecycle(projector),
    },
  ],
  exports: [WorkflowQueueProjectorService],
})
export class WorkflowQueueProjectorModule {}
