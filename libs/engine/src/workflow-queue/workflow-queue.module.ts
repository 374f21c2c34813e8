import { Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, MetricsRegistry } from '@baton/observability';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@baton/platform';
import { WorkflowQueueMetrics } from './workflow-queue.metrics';
import { WriterHealth } from '../writer-health';
import { WriterHealthModule } from '../writer-health.module';
import { WorkflowQueueService } from './workflow-queue.service';

/**
 * Starts the queue with the application and stops it when modules are
 * destroyed, i.e. before `PlatformModule` closes the log (on application
 * shutdown), so the consumer leaves its group cleanly.
 */
class WorkflowQueueLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly queue: WorkflowQueueService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.stop();
  }
}

/** The workflow queue of an engine process; needs `PlatformModule` and `ObservabilityModule` (global). */
@Module({
  imports: [WriterHealthModule],
  providers: [
    {
      provide: WorkflowQueueMetrics,
      inject: [MetricsRegistry],
      useFactory: (registry: MetricsRegistry) => new WorkflowQueueMetrics(registry),
    },
    {
      provide: WorkflowQueueService,
      inject: [EVENT_LOG, CLOCK, WorkflowQueueMetrics, PLATFORM_CONFIG, WriterHealth],
      useFactory: (
        log: EventLog,
        clock: Clock,
        metrics: WorkflowQueueMetrics,
        config: PlatformConfig,
        health: WriterHealth,
      ) => {
        const queue = new WorkflowQueueService(log, clock, metrics, batonLogger('WorkflowQueue'), {
          topics: config.topics,
        });
        health.watch(queue.writer);
        return queue;
      },
    },
    {
      provide: WorkflowQueueLifecycle,
      inject: [WorkflowQueueService],
      useFactory: (queue: WorkflowQueueService) => new WorkflowQueueLifecycle(queue),
    },
  ],
  exports: [WorkflowQueueService],
})
export class WorkflowQueueModule {}
