import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import { ProjectorModule } from '@baton/projector';

/** The projector as its own process: run events into the PostgreSQL read model. */
@Module({
  imports: [ObservabilityModule.forService('projector'), PlatformModule.forRoot(migrate), ProjectorModule],
})
export class ProjectorAppModule {}
