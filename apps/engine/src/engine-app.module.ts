import { Module } from '@nestjs/common';
import { EngineModule } from '@baton/engine';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule } from '@baton/platform';
import { migrate } from '@baton/readmodel';

/** The engine as its own process: run-command decisions and run-request admission. */
@Module({
  imports: [ObservabilityModule.forService('engine'), PlatformModule.forRoot(migrate), EngineModule],
})
export class EngineAppModule {}
