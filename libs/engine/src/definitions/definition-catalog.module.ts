import { Module } from '@nestjs/common';
import { batonLogger } from '@baton/observability';
import type { EventLog } from '@baton/eventlog';
import { EVENT_LOG, PLATFORM_CONFIG, type PlatformConfig } from '@baton/platform';
import { DefinitionCatalog } from './definition-catalog';

/**
 * The process's one definition catalog, shared by run-request admission and
 * the triggers. It starts reading on its first `catchUp` (admission's first
 * batch, the trigger catalog's first refresh): nothing to start or stop.
 */
@Module({
  providers: [
    {
      provide: DefinitionCatalog,
      inject: [EVENT_LOG, PLATFORM_CONFIG],
      useFactory: (log: EventLog, config: PlatformConfig) =>
        new DefinitionCatalog(log, batonLogger('DefinitionCatalog'), { topics: config.topics }),
    },
  ],
  exports: [DefinitionCatalog],
})
export class DefinitionCatalogModule {}
