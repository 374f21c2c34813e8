// How a status looks: colour from the Okabe-Ito palette (safe for the common
// colour-vision deficiencies), plus an icon and the word itself, so colour is
// never the only signal.

export interface StatusLook {
  readonly colour: string;
  readonly icon: string;
  readonly label: string;
}

const LOOKS: Record<string, StatusLook> = {
  succeeded: { colour: '#009E73', icon: '✓', label: 'succeeded' },
  failed: { colour: '#D55E00', icon: '✕', label: 'failed' },
  timed_out: { colour: '#D55E00', icon: '⧗', label: 'timed out' },
  running: { colour: '#0072B2', icon: '▶', label: 'running' },
  retry_waiting: { colour: '#E69F00', icon: '↻', label: 'retry waiting' },
  retrying: { colour: '#E69F00', icon: '↻', label: 'retrying' },
  ready: { colour: '#56B4E9', icon: '◷', label: 'ready' },
  waiting: { colour: '#56B4E9', icon: '◷', label: 'waiting' },
  queued: { colour: '#56B4E9', icon: '◷', label: 'queued' },
  paused: { colour: '#CC79A7', icon: '❚❚', label: 'paused' },
  stopping: { colour: '#CC79A7', icon: '■', label: 'stopping' },
  cancelled: { colour: '#6b6b6b', icon: '⊘', label: 'cancelled' },
  skipped: { colour: '#9a9a9a', icon: '»', label: 'skipped' },
  pending: { colour: '#bdbdbd', icon: '○', label: 'pending' },
};

export function statusLook(status: string | null | undefined): StatusLook {
  if (!status) return LOOKS.pending;
  return LOOKS[status] ?? { colour: '#9a9a9a', icon: '•', label: status.replace(/_/g, ' ') };
}

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;

export function isTerminal(status: string): boolean {
  return ['succeeded', 'failed', 'cancelled', 'skipped', 'timed_out'].includes(status);
}

export function duration(from: number | null, to: number | null, now = Date.now()): string {
  if (from === null) return '';
  const ms = Math.max(0, (to ?? now) - from);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function time(at: number | null): string {
  if (at === null) return '';
  return new Date(at).toLocaleString(undefined, { hour12: false });
}
