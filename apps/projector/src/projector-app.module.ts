import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@baton/observability';
import { migrate } from '@baton/readmodel';
import { PlatformModule, type ServiceConfig } from '@baton/platform';
import { ProjectorModule } from '@baton/projector';

/** The projector as its own process: the read model from the events topic. */
@Module({})
export class ProjectorAppModule {
  static forConfig(config: ServiceConfig): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [
        ObservabilityModule.forService(config.service),
        PlatformModule.forRoot(migrate, config.platform),
        ProjectorModule,
      ],
    };
  }
}
