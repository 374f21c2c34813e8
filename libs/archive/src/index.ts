export {
  ArchiveConflictError,
  type AppendResult,
  type ArchiveEvent,
  type ArchivedEvent,
  type ArchivePosition,
  type EventArchive,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
} from './event-archive.port';
export { archiveEvent, type RunEventEnvelope } from './stream-append';
export { PostgresEventArchive, type PostgresEventArchiveOptions } from './postgres/postgres-event-archive';
export { migrateArchive, ARCHIVE_MIGRATIONS } from './postgres/archive-schema';
export { EventStoreDbEventArchive } from './eventstoredb/eventstoredb-event-archive';
export { eventIdFor, runStreamName } from './eventstoredb/event-id';
export { loadArchiveConfig, openEventArchive, type ArchiveConfig } from './archive.config';
export { ArchiverService, ARCHIVER_GROUP_ID, type ArchiverOptions } from './archiver/archiver.service';
export { ArchiverModule } from './archiver/archiver.module';
export { EVENT_ARCHIVE, EventArchiveModule } from './event-archive.module';
export { archiveRecords, type ArchivedRecords } from './archiver/archive-records';
