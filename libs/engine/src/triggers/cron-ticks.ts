import { Cron, CronPattern } from 'croner';

/** A cron trigger's timing: a 5-field (minute first) or 6-field (second first) schedule in an IANA time zone. */
export interface CronTiming {
  readonly schedule: string;
  readonly timezone: string;
}

export type CronTicks =
  { readonly ok: true; readonly ticks: number[] } | { readonly ok: false; readonly message: string };

/**
 * The ticks of `timing` in `(after, upTo]` (epoch ms), ascending, at most
 * `limit`. Pure, and additive: ticks of (a, b] and (b, c] together are the
 * ticks of (a, c], so a scheduler may look at any windows it likes.
 *
 * A tick is an instant whose wall-clock time in the zone matches the
 * schedule (croner does the matching, at the zone's fixed UTC offset of the
 * moment). Daylight saving changes follow ISC cron's rule, decided on the
 * hour field:
 * - schedules that fire every hour (`0 * * * *`, `*\/15 * * * *`) keep
 *   their rhythm in real time: an hourly schedule fires 23 times on the
 *   spring-forward day and 25 times on the fall-back day;
 * - other schedules fire once per matching wall-clock time: a time skipped
 *   by spring-forward (`30 2 * * *` in Europe/Berlin) fires at the instant
 *   of the change, a time repeated by fall-back fires on its first pass only.
 *
 * Croner's own time-zone mode is not used: at a fall-back change its
 * `nextRun` skips one pass of the repeated hour (the first or the second,
 * depending on the zone) and stalls on a second-by-second schedule (croner
 * issue #343); the DST cases of the spec fail on it.
 */
export function cronTicks(timing: CronTiming, after: number, upTo: number, limit = 1_000): CronTicks {
  const checked = checkCronTiming(timing);
  if (checked !== undefined) return { ok: false, message: checked };
  const everyHour = new CronPattern(timing.schedule).hour.every((h) => h === 1);
  const ticks = new Set<number>();
  for (const segment of offsetSegments(timing.timezone, after, upTo)) {
    for (const tick of wallClockTicks(timing.schedule, segment.offset, segment.from, segment.to, limit)) {
      if (everyHour || !repeatedWallClock(timing.timezone, tick)) ticks.add(tick);
    }
    const change = segment.change;
    if (!everyHour && change !== null && change.fromOffset < segment.offset) {
      // Spring forward: wall-clock times [change, change + gap) at the old offset never show.
      const gap = (segment.offset - change.fromOffset) * MINUTE;
      if (
        wallClockTicks(timing.schedule, change.fromOffset, change.at - 1, change.at + gap - 1, 1).length > 0
      ) {
        ticks.add(change.at);
      }
    }
  }
  return { ok: true, ticks: [...ticks].sort((a, b) => a - b).slice(0, limit) };
}

/** Why `timing` cannot be scheduled, or undefined when it can. */
export function checkCronTiming(timing: CronTiming): string | undefined {
  const fields = timing.schedule.trim().split(/\s+/);
  if (!timing.schedule.trim().startsWith('@') && fields.length !== 5 && fields.length !== 6) {
    const count = fields.length === 1 ? '1 field' : `${fields.length} fields`;
    return `schedule "${timing.schedule}" has ${count}; write 5 (minute hour day month weekday) or 6 (second first)`;
  }
  try {
    new CronPattern(timing.schedule);
  } catch (error) {
    return `schedule "${timing.schedule}": ${(error as Error).message}`;
  }
  try {
    formatter(timing.timezone);
  } catch {
    return `timezone "${timing.timezone}" is not an IANA time zone such as Europe/Berlin`;
  }
  return undefined;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface OffsetSegment {
  /** Exclusive: ticks are > from. */
  readonly from: number;
  /** Inclusive. */
  readonly to: number;
  /** Minutes east of UTC during the segment. */
  readonly offset: number;
  /** The change of offset the segment starts with (at `from + 1`), if it starts inside the window. */
  readonly change: { readonly at: number; readonly fromOffset: number } | null;
}

/**
 * Splits (after, upTo] where the zone's UTC offset changes. Offsets are
 * sampled hourly and each change found to the millisecond; zones never
 * change offset twice within an hour.
 */
function offsetSegments(timeZone: string, after: number, upTo: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let current: OffsetSegment = {
    from: after,
    to: upTo,
    offset: utcOffsetMinutes(timeZone, after),
    change: null,
  };
  for (let probe = after; probe < upTo;) {
    const next = Math.min(probe + HOUR, upTo);
    const offset = utcOffsetMinutes(timeZone, next);
    if (offset !== current.offset) {
      const at = firstInstantWithOffset(timeZone, probe, next, offset);
      segments.push({ ...current, to: at - 1 });
      current = { from: at - 1, to: upTo, offset, change: { at, fromOffset: current.offset } };
    }
    probe = next;
  }
  segments.push(current);
  return segments;
}

/** The first instant in (lo, hi] at `offset`, knowing lo is not and hi is. */
function firstInstantWithOffset(timeZone: string, lo: number, hi: number, offset: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (utcOffsetMinutes(timeZone, mid) === offset) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Instants in (from, to] whose wall-clock time at the fixed `offset` matches `schedule`. */
function wallClockTicks(schedule: string, offset: number, from: number, to: number, limit: number): number[] {
  const cron = new Cron(schedule, { utcOffset: offset, paused: true });
  const ticks: number[] = [];
  for (let next = cron.nextRun(new Date(from)); next !== null && next.getTime() <= to;) {
    ticks.push(next.getTime());
    if (ticks.length === limit) break;
    next = cron.nextRun(next);
  }
  return ticks;
}

/**
 * True for the second pass of a wall-clock time repeated by a fall-back: the
 * same wall-clock time was shown earlier under a larger offset. Looking 3
 * hours back covers every zone's change (at most 2 hours).
 */
function repeatedWallClock(timeZone: string, at: number): boolean {
  const offset = utcOffsetMinutes(timeZone, at);
  const before = utcOffsetMinutes(timeZone, at - 3 * HOUR);
  if (before <= offset) return false;
  return utcOffsetMinutes(timeZone, at - (before - offset) * MINUTE) === before;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Minutes east of UTC in `timeZone` at the instant `at`. */
function utcOffsetMinutes(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((wall - Math.floor(at / 1000) * 1000) / MINUTE);
}
