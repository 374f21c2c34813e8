export * from './event-log.port';
export { partitionForKey } from './partitioner';
export { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded/embedded-event-log';
export { KafkaEventLog } from './kafka/kafka-event-log';
export type {
  KafkaEventLogOptions,
  KafkaLogEntry,
  KafkaLogSink,
  KafkaSasl,
  KafkaTls,
} from './kafka/kafka-options';
export {
  repairLog,
  verifyLog,
  withLockedDir,
  type LogRepair,
  type LogVerification,
} from './embedded/log-maintenance';
export { WalDamageError } from './embedded/wal-format';
export type { FsyncMode } from './embedded/write-ahead-log';
export { kafkaSecurityFromEnv } from './kafka/kafka-options';
