import type { RunDetail } from '@baton/api/responses';
import { formatDuration, spanDuration } from './time';

/**
 * How long a run has been active: for a run never restarted, from its start
 * to its end (or now); for a restarted run, the sum of its attempts' spans,
 * so the time it sat failed before a restart does not count. An attempt's
 * span runs from its first step attempt made ready to its last one ended
 * (the last attempt: to the run's end, or now). `baton get` shows the
 * wall-clock span beside it.
 */
export function activeDuration(run: RunDetail, now: number): string {
  const ms = activeMs(run, now);
  return ms === null ? spanDuration(run.startedAt, run.endedAt, now) : formatDuration(ms);
}

/** Null when the span is the plain one, or cannot be told apart (attempt rows older than `runAttempt`). */
export function activeMs(run: RunDetail, now: number): number | null {
  if (run.runAttempt <= 1 || run.startedAt === null) return null;
  const spans = new Map<number, { from: number; to: number }>();
  for (const attempt of run.steps.flatMap((step) => step.attempts)) {
    if (attempt.runAttempt === null) return null;
    const from = attempt.readyAt ?? attempt.startedAt;
    if (from === null) continue;
    const span = spans.get(attempt.runAttempt) ?? { from, to: from };
    spans.set(attempt.runAttempt, {
      from: Math.min(span.from, from),
      to: Math.max(span.to, attempt.endedAt ?? from),
    });
  }
  const first = spans.get(1);
  if (first) spans.set(1, { ...first, from: Math.min(first.from, run.startedAt) });
  const last = spans.get(run.runAttempt);
  if (last) spans.set(run.runAttempt, { ...last, to: run.endedAt ?? now });
  let total = 0;
  for (const span of spans.values()) total += Math.max(0, span.to - span.from);
  return total;
}
