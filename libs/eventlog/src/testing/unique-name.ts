import { randomBytes } from 'node:crypto';

/**
 * A topic, group or transactional id no other test run uses, so suites can
 * share one broker (Kafka names allow `[a-zA-Z0-9._-]`).
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
