import { ProducerFencedError } from '../event-log.port';

/**
 * Kafka's ways of saying "a newer producer owns this transactional id".
 * kafkajs 2.2.4 speaks request versions in which the broker answers
 * INVALID_PRODUCER_EPOCH (47); PRODUCER_FENCED (90) comes with newer versions
 * and kafkajs does not know its name, so it is matched by code too.
 */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const FENCED_CODES = new Set([47, 90]);

interface ErrorShape {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: unknown;
}

/**
 * Whether `error`, or any error it wraps, is a fencing error. kafkajs wraps
 * protocol errors several levels deep (`KafkaJSNumberOfRetriesExceeded` →
 * `cause`, `KafkaJSNonRetriableError` → `cause`/`originalError`,
 * `KafkaJSAggregateError` → `errors`).
 */
export function isFencingError(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 8) return false;
  const shape = error as ErrorShape;
  if (typeof shape.type === 'string' && FENCED_TYPES.has(shape.type)) return true;
  if (typeof shape.code === 'number' && FENCED_CODES.has(shape.code)) return true;
  if (typeof shape.name === 'string' && /ProducerFenced/.test(shape.name)) return true;
  const nested = [shape.cause, shape.originalError, ...(Array.isArray(shape.errors) ? shape.errors : [])];
  return nested.some((inner) => isFencingError(inner, depth + 1));
}

/** The port's error for a fencing error, the error itself otherwise. */
export function toPortError(error: unknown, transactionalId: string): unknown {
  return isFencingError(error) ? new ProducerFencedError(transactionalId) : error;
}

/**
 * Whether `error` is one Kafka says may pass by itself (`retriable` on
 * kafkajs's protocol errors: UNKNOWN_TOPIC_OR_PARTITION while a topic another
 * client has just created reaches the metadata, LEADER_NOT_AVAILABLE, a
 * coordinator still loading), or of a type in `alsoRetry`, looking through
 * kafkajs's wrappers as `isFencingError` does. An aggregate is retriable only
 * if all of it is.
 */
export function isRetriableKafkaError(
  error: unknown,
  alsoRetry: ReadonlySet<string> = NONE,
  depth = 0,
): boolean {
  if (error === null || typeof error !== 'object' || depth > 8) return false;
  const shape = error as ErrorShape & { readonly retriable?: unknown };
  if (Array.isArray(shape.errors) && shape.errors.length > 0) {
    return shape.errors.every((inner) => isRetriableKafkaError(inner, alsoRetry, depth + 1));
  }
  if (typeof shape.type === 'string' && (shape.retriable === true || alsoRetry.has(shape.type))) return true;
  return [shape.cause, shape.originalError].some((inner) =>
    isRetriableKafkaError(inner, alsoRetry, depth + 1),
  );
}

const NONE: ReadonlySet<string> = new Set();
