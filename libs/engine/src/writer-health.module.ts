import { Module } from '@nestjs/common';
import { HealthService, MetricsRegistry } from '@baton/observability';
import { WriterHealth } from './writer-health';

/** One `WriterHealth` per process, shared by the modules that run single writers. */
@Module({
  providers: [
    {
      provide: WriterHealth,
      inject: [MetricsRegistry, { token: HealthService, optional: true }],
      useFactory: (registry: MetricsRegistry, health?: HealthService) => new WriterHealth(registry, health),
    },
  ],
  exports: [WriterHealth],
})
export class WriterHealthModule {}
