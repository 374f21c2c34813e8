export * from './event-log.port';
export { partitionForKey } from './partitioner';
export { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded/embedded-event-log';
export { KafkaEventLog } from './kafka/kafka-event-log';
export type { KafkaEventLogOptions, KafkaLogEntry, KafkaLogSink } from './kafka/kafka-options';
