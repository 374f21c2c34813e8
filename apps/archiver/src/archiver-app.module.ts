import { Module } from '@nestjs/common';
import { ArchiverModule } from '@baton/archive';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import { migrate } from '@baton/readmodel';

/** The archiver as its own process: every run event into its run's permanent stream. */
@Module({
  imports: [ObservabilityModule.forService('archiver'), PlatformModule.forRoot(migrate), ArchiverModule],
})
export class ArchiverAppModule {}
