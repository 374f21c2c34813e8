import { parseDuration } from '@baton/definitions';
import { type ImportReport, type JsonObject, child } from './report';

const FAILURE_MODES: Readonly<Record<string, string>> = {
  FAIL_IMMEDIATELY: 'fail_immediately',
  FAIL_AFTER_RUNNING: 'finish_running',
  IGNORE_FAILURE: 'ignore',
};

const UNITS: Readonly<Record<string, string>> = {
  ms: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
};

/**
 * A Maestro duration (seconds as a number or digits, or text such as
 * `1 hour 30 minutes`) as a Baton duration; undefined, reported, for an
 * expression (`${...}`) or anything else.
 */
export function convertDuration(
  value: unknown,
  path: string,
  report: ImportReport,
): string | number | undefined {
  const candidate = durationOf(value);
  // Whatever was read must be a duration Baton takes (positive, at most 366 days, no 5e-324).
  if (candidate !== undefined && parseDuration(candidate).ok) return candidate;
  report.unmapped(path, `duration ${JSON.stringify(value)} must be a literal in Baton today; left out`);
  return undefined;
}

function durationOf(value: unknown): string | number | undefined {
  // Baton durations are positive: a zero one is reported like any other it cannot read.
  if (typeof value === 'number' && value > 0) return Number.isInteger(value) ? `${value}s` : value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text) && Number(text) > 0) return `${Number(text)}s`;
  const parts = [...text.matchAll(/(\d+)\s*([a-z]+)/g)];
  const whole =
    parts
      .map((p) => p[0])
      .join('')
      .replace(/\s/g, '') === text.replace(/[\s,]|and/g, '');
  if (
    parts.length > 0 &&
    whole &&
    parts.every((p) => Object.hasOwn(UNITS, p[2])) &&
    parts.some((p) => Number(p[1]) > 0)
  ) {
    return parts.map((p) => `${p[1]}${UNITS[p[2]]}`).join('');
  }
  return undefined;
}

/** Fields every Maestro step may carry: name, description, timeout, failure mode, tags. */
export function convertCommonFields(body: JsonObject, path: string, report: ImportReport): JsonObject {
  const out: JsonObject = {};
  if (typeof body.name === 'string') out.name = body.name;
  if (typeof body.description === 'string') out.description = body.description;
  if (body.timeout !== undefined) {
    const timeout = convertDuration(body.timeout, child(path, 'timeout'), report);
    if (timeout) out.timeout = timeout;
  }
  if (body.failure_mode !== undefined) {
    const mode = String(body.failure_mode).toUpperCase();
    if (Object.hasOwn(FAILURE_MODES, mode)) out.failure_mode = FAILURE_MODES[mode];
    else
      report.unmapped(
        child(path, 'failure_mode'),
        `failure mode ${String(body.failure_mode)} is unknown; left out`,
      );
  }
  if (body.tags !== undefined) report.unmapped(child(path, 'tags'), 'Baton steps have no tags; left out');
  if (body.signal_outputs !== undefined) {
    report.unmapped(
      child(path, 'signal_outputs'),
      'Baton steps do not publish signals on success; left out (send them from the step, POST /api/v1/signals)',
    );
  }
  return out;
}

export const COMMON_FIELDS = [
  'id',
  'name',
  'description',
  'timeout',
  'failure_mode',
  'tags',
  'signal_outputs',
  'transition',
  'signal_dependencies',
  'params',
];
