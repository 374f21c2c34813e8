import { type DynamicModule, Module } from '@nestjs/common';
import { EngineModule } from '@baton/engine';
import { PlatformModule, serviceRoot } from '@baton/platform';
import type { EngineProcessConfig } from './engine.config';

/** The engine as its own process: run-command decisions and run-request admission. */
@Module({})
export class EngineAppModule {
  static forConfig(config: EngineProcessConfig): DynamicModule {
    return serviceRoot(EngineAppModule, config.service, PlatformModule.forLog(config.platform), [
      EngineModule.forRoot(config.engine),
    ]);
  }
}
