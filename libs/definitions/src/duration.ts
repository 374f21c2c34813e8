import { parseDuration } from '@baton/domain';

export { DURATION_HELP, parseDuration } from '@baton/domain';
export type { DurationResult } from '@baton/domain';

/** The milliseconds of a duration that validation already checked; undefined when absent or invalid. */
export function durationMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : undefined;
}

/** `{ [key]: ms }` when `value` is a valid duration, else `{}`: for optional fields of the model. */
export function optionalMs<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  const parsed = durationMs(value);
  return (parsed === undefined ? {} : { [key]: parsed }) as { [P in K]?: number };
}
