import type { DynamicModule, ModuleMetadata, Type } from '@nestjs/common';
import { ObservabilityModule } from '@baton/observability';

/**
 * The root module of one Baton service process: its logs, metrics and health
 * under its service name, its platform (`PlatformModule.forRoot` with a
 * database, `forLog` without), then what the process runs. One shape for
 * every `apps/*` process, so they differ only in what they run.
 *
 * @example
 *   static forConfig(config: EngineProcessConfig): DynamicModule {
 *     return serviceRoot(EngineAppModule, config.service, PlatformModule.forLog(config.platform), [
 *       EngineModule.forRoot(config.engine),
 *     ]);
 *   }
 */
export function serviceRoot(
  module: Type,
  service: string,
  platform: DynamicModule,
  runs: NonNullable<ModuleMetadata['imports']>,
): DynamicModule {
  return { module, imports: [ObservabilityModule.forService(service), platform, ...runs] };
}
