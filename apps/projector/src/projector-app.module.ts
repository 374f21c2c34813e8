import { type DynamicModule, Module } from '@nestjs/common';
import { migrate } from '@baton/readmodel';
import { PlatformModule, serviceRoot, type ServiceConfig } from '@baton/platform';
import { ProjectorModule } from '@baton/projector';

/** The projector as its own process: the read model from the events topic. */
@Module({})
export class ProjectorAppModule {
  static forConfig(config: ServiceConfig): DynamicModule {
    return serviceRoot(ProjectorAppModule, config.service, PlatformModule.forRoot(migrate, config.platform), [
      ProjectorModule,
    ]);
  }
}
