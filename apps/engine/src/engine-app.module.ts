import { type DynamicModule, Module } from '@nestjs/common';
import { EngineModule } from '@baton/engine';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import type { EngineProcessConfig } from './engine.config';

/** The engine as its own process: run-command decisions and run-request admission. */
@Module({})
export class EngineAppModule {
  static forConfig(config: EngineProcessConfig): DynamicModule {
    return {
      module: EngineAppModule,
      imports: [
        ObservabilityModule.forService(config.service),
        PlatformModule.forLog(config.platform),
        EngineModule.forRoot(config.engine),
      ],
    };
  }
}
