import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/**
 * `/metrics` and `/health` for any Baton process; every app imports it with
 * its service name, which labels the metrics and the health report.
 */
@Module({})
export class ObservabilityModule {
  static forService(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: MetricsRegistry, useFactory: () => MetricsRegistry.withDefaults(service) },
        { provide: HealthService, useFactory: () => new HealthService(service) },
      ],
      exports: [MetricsRegistry, HealthService],
    };
  }
}
