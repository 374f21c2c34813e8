import { Partitioners, type PartitionMetadata } from 'kafkajs';

// kafkajs's DefaultPartitioner is Kafka's Java default (murmur2, positive,
// modulo): keyed records land where Java and other clients would put them.
const kafkaDefault = Partitioners.DefaultPartitioner();
const metadataCache = new Map<number, PartitionMetadata[]>();

/**
 * The partition of a keyed record. Both adapters route with this function, so
 * a key lands on the same partition whichever log carries it.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  return kafkaDefault({
    topic: '',
    partitionMetadata: metadataFor(partitionCount),
    message: { key, value: null },
  });
}

function metadataFor(partitionCount: number): PartitionMetadata[] {
  let metadata = metadataCache.get(partitionCount);
  if (!metadata) {
    metadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
    }));
    metadataCache.set(partitionCount, metadata);
  }
  return metadata;
}
