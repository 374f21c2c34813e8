import { type DynamicModule, Module } from '@nestjs/common';
import { ArchiverModule } from '@baton/archive';
import { PlatformModule, serviceRoot } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import type { ArchiverProcessConfig } from './archiver.config';

/** The archiver as its own process: every run event into its run's permanent stream. */
@Module({})
export class ArchiverAppModule {
  static forConfig(config: ArchiverProcessConfig): DynamicModule {
    return serviceRoot(ArchiverAppModule, config.service, PlatformModule.forRoot(migrate, config.platform), [
      ArchiverModule.forRoot(config.archive),
    ]);
  }
}
