export { KafkaEventLog } from './kafka-event-log';
export type { KafkaEventLogOptions, KafkaSasl, KafkaTls } from './kafka-options';
export { kafkaSecurityFromEnv } from './kafka-options';
