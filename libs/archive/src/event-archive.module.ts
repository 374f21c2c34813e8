import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { SQL_CLIENT } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { openEventArchive, type ArchiveConfig } from './archive.config';
import type { EventArchive } from './event-archive.port';

/** Injection token of the process's `EventArchive`. */
export const EVENT_ARCHIVE = Symbol('EventArchive');

class EventArchiveCloser implements OnModuleDestroy {
  constructor(@Inject(EVENT_ARCHIVE) private readonly archive: EventArchive) {}

  // Module destroy runs before PlatformModule closes the database on application shutdown.
  async onModuleDestroy(): Promise<void> {
    await this.archive.close();
  }
}

/**
 * The permanent event archive of a process (`EVENT_ARCHIVE`), the one its
 * `ArchiveConfig` names (`loadArchiveConfig`: PostgreSQL by default, in the
 * read-model database).
 * Global: the archiver writes to it, the API reads a run's history from it
 * when the read model no longer has it.
 */
@Global()
@Module({})
export class EventArchiveModule {
  static forRoot(config: ArchiveConfig): DynamicModule {
    return {
      module: EventArchiveModule,
      providers: [
        {
          provide: EVENT_ARCHIVE,
          inject: [SQL_CLIENT],
          useFactory: (sql: SqlClient) => openEventArchive(config, sql),
        },
        EventArchiveCloser,
      ],
      exports: [EVENT_ARCHIVE],
    };
  }
}
