import {
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, MetricsRegistry } from '@baton/observability';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@baton/platform';
import { EVENT_ARCHIVE, EventArchiveModule } from '../event-archive.module';
import type { ArchiveConfig } from '../archive.config';
import type { EventArchive } from '../event-archive.port';
import { ArchiverService } from './archiver.service';

/**
 * Starts the archiver once the application is up; stops it when modules are
 * destroyed, i.e. before `PlatformModule` closes the log and the database (on
 * application shutdown).
 */
class ArchiverLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly archiver: ArchiverService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.archiver.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.archiver.stop();
  }
}

/**
 * The archiver of a Baton process, and the `EVENT_ARCHIVE` it writes to
 * (the one `ArchiveConfig` names); needs `PlatformModule` and
 * `ObservabilityModule` (global).
 */
@Module({
  providers: [
    {
      provide: ArchiverService,
      inject: [EVENT_LOG, EVENT_ARCHIVE, CLOCK, MetricsRegistry, PLATFORM_CONFIG],
      useFactory: (
        log: EventLog,
        archive: EventArchive,
        clock: Clock,
        registry: MetricsRegistry,
        config: PlatformConfig,
      ) =>
        new ArchiverService(log, archive, clock, registry, batonLogger('Archiver'), {
          topics: config.topics,
        }),
    },
    {
      provide: ArchiverLifecycle,
      inject: [ArchiverService],
      useFactory: (archiver: ArchiverService) => new ArchiverLifecycle(archiver),
    },
  ],
  exports: [ArchiverService],
})
export class ArchiverModule {
  static forRoot(archive: ArchiveConfig): DynamicModule {
    return { module: ArchiverModule, imports: [EventArchiveModule.forRoot(archive)] };
  }
}
