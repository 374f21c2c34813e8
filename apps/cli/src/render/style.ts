/**
 * ANSI colours for human output, only when stdout is a terminal and NO_COLOR
 * (https://no-color.org) is unset: piped output and CI logs stay plain text.
 */
export interface Style {
  readonly enabled: boolean;
  /** Colours a run or step status by what it means (green done, red failed...). */
  status(status: string): string;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;
type Code = keyof typeof CODES;

const STATUS_COLOURS: Readonly<Record<string, Code>> = {
  succeeded: 'green',
  failed: 'red',
  cancelled: 'magenta',
  running: 'cyan',
  ready: 'blue',
  paused: 'yellow',
  sleeping: 'blue',
  waiting: 'blue',
  retry_waiting: 'yellow',
  retrying: 'yellow',
  timed_out: 'red',
  pending: 'dim',
  queued: 'dim',
  skipped: 'dim',
};

export function createStyle(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  // An empty NO_COLOR does not count (the convention says "present and not empty").
  const enabled = isTTY && !env.NO_COLOR;
  const paint = (code: Code, text: string): string =>
    enabled ? `\u001b[${CODES[code]}m${text}\u001b[${code === 'bold' || code === 'dim' ? 22 : 39}m` : text;
  return {
    enabled,
    status: (status) => {
      const code = STATUS_COLOURS[status];
      return code ? paint(code, status) : status;
    },
    bold: (text) => paint('bold', text),
    dim: (text) => paint('dim', text),
    red: (text) => paint('red', text),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The text as it shows on screen: ANSI sequences take no columns. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
