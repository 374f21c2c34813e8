import { type DynamicModule, Module } from '@nestjs/common';
import { ApiModule } from '@baton/api';
import { EventArchiveModule } from '@baton/archive';
import { PlatformModule, serviceRoot } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import type { ApiProcessConfig } from './api.config';

/** The REST API as its own process: serves the read model and publishes run requests and cancels. */
@Module({})
export class ApiAppModule {
  static forConfig(config: ApiProcessConfig): DynamicModule {
    return serviceRoot(ApiAppModule, config.service, PlatformModule.forRoot(migrate, config.platform), [
      EventArchiveModule.forRoot(config.archive),
      ApiModule.forRoot(config.api),
    ]);
  }
}
