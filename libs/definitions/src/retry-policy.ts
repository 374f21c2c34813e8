import type { Backoff, RetryPolicy } from '@baton/domain';
import type { DefinitionError } from './definition-error';
import type { BackoffDto, RetryPolicyDto } from './dto/retry-policy.dto';
import { durationMs } from './duration';
import type { ExpressionSite } from './expression-checks';
import { looksLikeExpression, toStepValue } from './step-values';

/**
 * Defaults a user gets without writing them (documented in examples/README.md):
 * user errors are not retried (a failing script usually fails again, and a
 * retry re-runs its side effects: opt in, as in Airflow), platform errors are
 * retried 10 times (they are Baton's fault, as in Maestro), timeouts are not;
 * backoff is exponential from 10s, doubling, capped at 5m.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  userErrorLimit: 0,
  platformErrorLimit: 10,
  timeoutLimit: 0,
  backoff: { kind: 'exponential', initialDelayMs: 10_000, multiplier: 2, maxDelayMs: 300_000 },
};

export function retryPolicy(
  dto: RetryPolicyDto | undefined,
  path: string,
  errors: DefinitionError[],
  sites: ExpressionSite[],
): RetryPolicy {
  if (typeof dto !== 'object' || dto === null) return DEFAULT_RETRY_POLICY;
  const limit = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  // A limit written as an expression: evaluated when each attempt becomes ready; the number is then unused.
  const limitExpressions: { user?: string; platform?: string; timeout?: string } = {};
  for (const [kind, field] of LIMIT_FIELDS) {
    const raw = dto[field];
    if (!looksLikeExpression(raw)) continue;
    const value = toStepValue(raw, `${path}.${field}`, sites, errors);
    if ('expression' in value) limitExpressions[kind] = value.expression;
  }
  const backoffs: { user?: Backoff; platform?: Backoff; timeout?: Backoff } = {};
  for (const [kind, field] of PER_KIND_BACKOFFS) {
    const given = dto[field];
    if (typeof given === 'object' && given !== null)
      backoffs[kind] = backoff(given, `${path}.${field}`, errors);
  }
  return {
    userErrorLimit: limit(dto.user_error_limit, DEFAULT_RETRY_POLICY.userErrorLimit),
    platformErrorLimit: limit(dto.platform_error_limit, DEFAULT_RETRY_POLICY.platformErrorLimit),
    timeoutLimit: limit(dto.timeout_limit, DEFAULT_RETRY_POLICY.timeoutLimit),
    backoff: backoff(dto.backoff, `${path}.backoff`, errors),
    // Only when given, so a policy without them normalizes as it did before they existed.
    ...(Object.keys(backoffs).length > 0 ? { backoffs } : {}),
    ...(Object.keys(limitExpressions).length > 0 ? { limitExpressions } : {}),
  };
}

const LIMIT_FIELDS = [
  ['user', 'user_error_limit'],
  ['platform', 'platform_error_limit'],
  ['timeout', 'timeout_limit'],
] as const;

const PER_KIND_BACKOFFS = [
  ['user', 'user_error_backoff'],
  ['platform', 'platform_error_backoff'],
  ['timeout', 'timeout_backoff'],
] as const;

function backoff(dto: BackoffDto | undefined, path: string, errors: DefinitionError[]): Backoff {
  if (typeof dto !== 'object' || dto === null) return DEFAULT_RETRY_POLICY.backoff;
  const only = (fields: (keyof BackoffDto)[], type: string) => {
    for (const field of fields) {
      if (dto[field] !== undefined)
        errors.push({ path: `${path}.${field}`, message: `'${field}' does not apply to ${type} backoff` });
    }
  };
  if (dto.type === 'fixed') {
    only(['initial_delay', 'multiplier', 'max_delay'], 'fixed');
    if (dto.delay === undefined)
      errors.push({ path: `${path}.delay`, message: 'fixed backoff needs a delay, e.g. delay: 30s' });
    return { kind: 'fixed', delayMs: durationMs(dto.delay) ?? 0 };
  }
  only(['delay'], 'exponential');
  if (dto.initial_delay === undefined) {
    errors.push({
      path: `${path}.initial_delay`,
      message: 'exponential backoff needs initial_delay, e.g. initial_delay: 10s',
    });
  }
  const initialDelayMs = durationMs(dto.initial_delay) ?? 0;
  const maxDelayMs =
    durationMs(dto.max_delay) ??
    Math.max(initialDelayMs, DEFAULT_RETRY_POLICY.backoff.kind === 'exponential' ? 300_000 : 0);
  if (maxDelayMs < initialDelayMs) {
    errors.push({ path: `${path}.max_delay`, message: 'max_delay must be at least initial_delay' });
  }
  return {
    kind: 'exponential',
    initialDelayMs,
    multiplier: typeof dto.multiplier === 'number' ? dto.multiplier : 2,
    maxDelayMs,
  };
}
