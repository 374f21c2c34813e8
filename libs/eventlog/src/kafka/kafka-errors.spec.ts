import { KafkaJSAggregateError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isRetriableKafkaError } from './kafka-errors';

/** As kafkajs builds them from a broker's error code (its typings omit the `retriable` option). */
const protocol = (type: string, retriable: boolean) =>
  Object.defineProperties(new KafkaJSProtocolError('broker said no'), {
    type: { value: type },
    retriable: { value: retriable },
  });

describe('isRetriableKafkaError', () => {
  it('is true for a retriable protocol error, also wrapped by kafkajs', () => {
    const unknownTopic = protocol('UNKNOWN_TOPIC_OR_PARTITION', true);
    expect(isRetriableKafkaError(unknownTopic)).toBe(true);
    expect(
      isRetriableKafkaError(
        new KafkaJSNumberOfRetriesExceeded(unknownTopic, { retryCount: 2, retryTime: 300 }),
      ),
    ).toBe(true);
  });

  it('is false for a non-retriable error, a plain error, and an aggregate with one of them', () => {
    expect(isRetriableKafkaError(protocol('TOPIC_AUTHORIZATION_FAILED', false))).toBe(false);
    expect(isRetriableKafkaError(new Error('ECONNREFUSED'))).toBe(false);
    const mixed = new KafkaJSAggregateError('Topic creation errors', [
      protocol('LEADER_NOT_AVAILABLE', true),
      protocol('INVALID_REPLICATION_FACTOR', false),
    ]);
    expect(isRetriableKafkaError(mixed)).toBe(false);
  });

  it('also retries the types it is given: a create where some topics exist and another failed retriably', () => {
    const create = new KafkaJSAggregateError('Topic creation errors', [
      protocol('TOPIC_ALREADY_EXISTS', false),
      protocol('LEADER_NOT_AVAILABLE', true),
    ]);
    expect(isRetriableKafkaError(create)).toBe(false);
    expect(isRetriableKafkaError(create, new Set(['TOPIC_ALREADY_EXISTS']))).toBe(true);
  });
});
