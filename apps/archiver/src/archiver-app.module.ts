import { Module } from '@nestjs/common';
import { ArchiverModule } from '@baton/archive';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';

/** The archiver as its own process: every run event into its run's permanent stream. */
@Module({
  imports: [ObservabilityModule.forService('archiver'), PlatformModule.forRoot(), ArchiverModule],
})
export class ArchiverAppModule {}
