export { KafkaEventLog } from './kafka-event-log';
export type { KafkaEventLogOptions } from './kafka-options';
