/** A duration in milliseconds, or what is wrong with the input. */
export type DurationResult =
  { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

const MAX_MS = 366 * 24 * 3600 * 1000;
const COMPACT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;
export const DURATION_HELP = 'write e.g. 30s, 5m, 1h30m, 2d, 500ms, ISO-8601 PT1H, or a number of seconds';

/**
 * In the domain because a duration may also be the value of an expression,
 * parsed when the step becomes ready (`timeout`, a sleep's `duration`).
 *
 * Parses a duration: `30s`, `5m`, `1h30m`, `2d`, `250ms` (units in this
 * order, integers), ISO-8601 `PT1H30M` / `P1DT2H` (days and smaller; years
 * and months have no fixed length), or a number of seconds (`90`, `0.5`).
 * Must be positive and at most 366 days.
 */
export function parseDuration(value: unknown): DurationResult {
  const ms = toMs(value);
  if (ms === undefined)
    return { ok: false, message: `'${String(value)}' is not a duration; ${DURATION_HELP}` };
  if (ms <= 0) return { ok: false, message: 'a duration must be positive' };
  if (ms > MAX_MS) return { ok: false, message: 'a duration must be at most 366 days' };
  return { ok: true, ms };
}

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const compact = COMPACT.exec(value);
  if (compact !== null && value !== '') {
    const [d, h, m, s, ms] = compact.slice(1).map((part) => Number(part ?? 0));
    return (((d * 24 + h) * 60 + m) * 60 + s) * 1000 + ms;
  }
  const iso = ISO.exec(value);
  if (iso !== null && value !== 'P' && !value.endsWith('T')) {
    const [d, h, m, s] = iso.slice(1).map((part) => Number(part ?? 0));
    return Math.round((((d * 24 + h) * 60 + m) * 60 + s) * 1000);
  }
  return undefined;
}
