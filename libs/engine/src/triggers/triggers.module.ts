import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, MetricsRegistry } from '@baton/observability';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@baton/platform';
import { DefinitionCatalog } from '../definitions/definition-catalog';
import { DefinitionCatalogModule } from '../definitions/definition-catalog.module';
import { SignalRouterMetrics } from '../signals/signal-router.metrics';
import { SignalRouterService } from '../signals/signal-router.service';
import { CronScheduler } from './cron-scheduler';
import { TriggerCatalog } from './trigger-catalog';
import { TriggerMetrics } from './trigger.metrics';
import { WriterHealth } from '../writer-health';
import { WriterHealthModule } from '../writer-health.module';

/** Starts the trigger catalog, then the signal router and the cron scheduler that read it; stops them in reverse. */
class TriggersLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly catalog: TriggerCatalog,
    private readonly router: SignalRouterService,
    private readonly cron: CronScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.catalog.start();
    await this.router.start();
    await this.cron.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // At once: the router leaving its group sooner lets another engine take its partitions sooner.
    await Promise.all([this.cron.stop(), this.router.stop()]);
    this.catalog.stop();
  }
}

/** Signals (waits and signal triggers) and cron triggers, run by the engine process. */
@Module({
  imports: [WriterHealthModule, DefinitionCatalogModule],
  providers: [
    {
      provide: TriggerMetrics,
      inject: [MetricsRegistry],
      useFactory: (r: MetricsRegistry) => new TriggerMetrics(r),
    },
    {
      provide: SignalRouterMetrics,
      inject: [MetricsRegistry],
      useFactory: (r: MetricsRegistry) => new SignalRouterMetrics(r),
    },
    {
      provide: TriggerCatalog,
      inject: [DefinitionCatalog, TriggerMetrics],
      useFactory: (definitions: DefinitionCatalog, metrics: TriggerMetrics) =>
        new TriggerCatalog(definitions, metrics, batonLogger('TriggerCatalog')),
    },
    {
      provide: SignalRouterService,
      inject: [EVENT_LOG, CLOCK, TriggerCatalog, SignalRouterMetrics, PLATFORM_CONFIG, WriterHealth],
      useFactory: (
        log: EventLog,
        clock: Clock,
        catalog: TriggerCatalog,
        metrics: SignalRouterMetrics,
        config: PlatformConfig,
        health: WriterHealth,
      ) => {
        const router = new SignalRouterService(log, clock, catalog, metrics, batonLogger('SignalRouter'), {
          topics: config.topics,
          ...(config.signalRetention === undefined ? {} : { retention: config.signalRetention }),
        });
        health.watch(router.writer);
        return router;
      },
    },
    {
      provide: CronScheduler,
      inject: [EVENT_LOG, TriggerCatalog, CLOCK, TriggerMetrics, PLATFORM_CONFIG],
      useFactory: (
        log: EventLog,
        catalog: TriggerCatalog,
        clock: Clock,
        metrics: TriggerMetrics,
        config: PlatformConfig,
      ) =>
        new CronScheduler(log, catalog, clock, metrics, batonLogger('CronScheduler'), {
          topics: config.topics,
        }),
    },
    {
      provide: TriggersLifecycle,
      inject: [TriggerCatalog, SignalRouterService, CronScheduler],
      useFactory: (catalog: TriggerCatalog, router: SignalRouterService, cron: CronScheduler) =>
        new TriggersLifecycle(catalog, router, cron),
    },
  ],
})
export class TriggersModule {}
