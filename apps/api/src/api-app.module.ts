import { Module } from '@nestjs/common';
import { ApiModule } from '@baton/api';
import { EventArchiveModule } from '@baton/archive';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import { migrate } from '@baton/readmodel';

/** The REST API as its own process: serves the read model and publishes run requests and cancels. */
@Module({
  imports: [
    ObservabilityModule.forService('api'),
    PlatformModule.forRoot(migrate),
    EventArchiveModule,
    ApiModule,
  ],
})
export class ApiAppModule {}
