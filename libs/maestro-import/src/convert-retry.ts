import { type ImportReport, type JsonObject, child, isObject } from './report';

/** Maestro's defaults (`Defaults.java`): what a step without a retry policy does there. */
const MAESTRO_DEFAULTS = {
  user: 2,
  platform: 10,
  timeout: 0,
  backoffSeconds: 60,
  exponent: 2,
  maxSeconds: 600,
} as const;

const LIMITS: readonly (readonly [maestro: string, baton: string, fallback: number])[] = [
  ['error_retry_limit', 'user_error_limit', MAESTRO_DEFAULTS.user],
  ['platform_retry_limit', 'platform_error_limit', MAESTRO_DEFAULTS.platform],
  ['timeout_retry_limit', 'timeout_limit', MAESTRO_DEFAULTS.timeout],
];

/**
 * A step's retry policy. Maestro retries a failing step twice by default and
 * Baton not at all, so limits Maestro leaves to its defaults are written out:
 * the imported step retries as it did. Maestro has one backoff per error kind;
 * Baton one per step today, so the user-error backoff is used and a different
 * platform or timeout backoff is reported.
 */
export function convertRetryPolicy(policy: unknown, path: string, report: ImportReport): JsonObject {
  const given: JsonObject = isObject(policy) ? policy : {};
  if (policy !== undefined && !isObject(policy))
    report.unmapped(path, 'retry_policy must be a map; Maestro defaults used');
  report.leftovers(given, path, [...LIMITS.map(([m]) => m), 'backoff'], 'retry field');
  const out: JsonObject = {};
  for (const [maestro, baton, fallback] of LIMITS) {
    const limit = given[maestro] ?? fallback;
    const value = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : limit;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) out[baton] = value;
    else
      report.unmapped(
        child(path, maestro),
        `${maestro} must be a literal count in Baton today; left at Baton's default`,
      );
  }
  out.backoff = convertBackoff(given.backoff, child(path, 'backoff'), report);
  return out;
}

function convertBackoff(backoff: unknown, path: string, report: ImportReport): JsonObject {
  const b: JsonObject = isObject(backoff) ? backoff : {};
  const type = typeof b.type === 'string' ? b.type.toUpperCase() : 'EXPONENTIAL_BACKOFF';
  const seconds = (kind: string, field: string, fallback: number): number => {
    const value = b[`${kind}_retry_${field}`];
    return typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : fallback;
  };
  const kinds = ['error', 'platform', 'timeout'] as const;
  if (type === 'FIXED_BACKOFF') {
    report.leftovers(b, path, ['type', ...kinds.map((k) => `${k}_retry_backoff_in_secs`)], 'backoff field');
    const delays = kinds.map((k) => seconds(k, 'backoff_in_secs', MAESTRO_DEFAULTS.backoffSeconds));
    if (kinds.some((k, i) => b[`${k}_retry_backoff_in_secs`] !== undefined && delays[i] !== delays[0]))
      differs(path, report);
    return { type: 'fixed', delay: `${delays[0]}s` };
  }
  if (type !== 'EXPONENTIAL_BACKOFF')
    report.unmapped(child(path, 'type'), `backoff type ${String(b.type)} is unknown; exponential used`);
  const fields = ['backoff_in_secs', 'exponent', 'limit_in_secs'];
  report.leftovers(
    b,
    path,
    ['type', ...kinds.flatMap((k) => fields.map((f) => `${k}_retry_${f}`))],
    'backoff field',
  );
  const [initial, multiplier, max] = [
    seconds('error', 'backoff_in_secs', MAESTRO_DEFAULTS.backoffSeconds),
    seconds('error', 'exponent', MAESTRO_DEFAULTS.exponent),
    seconds('error', 'limit_in_secs', MAESTRO_DEFAULTS.maxSeconds),
  ];
  const ours = [initial, multiplier, max];
  const given = kinds.slice(1).flatMap((k) => fields.map((f, i) => [b[`${k}_retry_${f}`], ours[i]] as const));
  if (given.some(([value, own]) => value !== undefined && Number(value) !== own)) differs(path, report);
  return {
    type: 'exponential',
    initial_delay: `${initial}s`,
    multiplier,
    max_delay: `${Math.max(max, initial)}s`,
  };
}

function differs(path: string, report: ImportReport): void {
  report.changed(
    path,
    'Maestro backs off per error kind (user, platform, timeout); Baton has one backoff per step today, so the user-error backoff applies to all (maps exactly once per-kind retry policies land)',
  );
}
