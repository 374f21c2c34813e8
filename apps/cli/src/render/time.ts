/**
 * Durations as people read them: `350ms`, `4.2s`, `3m 05s`, `2h 03m`.
 * Negative durations (clock skew between the server and this machine) show as 0.
 */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value}ms`;
  if (value < 60_000) return `${(Math.floor(value / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
  return `${Math.floor(minutes / 1440)}d ${pad(Math.floor((minutes % 1440) / 60))}h`;
}

/**
 * How long something between `startedAt` and `endedAt` took, or has been
 * taking (`endedAt` null: until `now`); `-` when it never started.
 */
export function spanDuration(startedAt: number | null, endedAt: number | null, now: number): string {
  if (startedAt === null) return '-';
  return formatDuration((endedAt ?? now) - startedAt);
}

/** `12s ago`, `3m ago`, `2h ago`, `4d ago`. */
export function formatAge(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** UTC to the second: unambiguous in a terminal shared across time zones. */
export function formatTimestamp(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
