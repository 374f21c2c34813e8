export * from './event-log.port';
export { partitionForKey } from './partitioner';
