import type { Command } from 'commander';
import { BatonClient, DEFAULT_BATON_URL, type Fetch } from './api-client';
import type { Style } from './render/style';

/** Where the CLI writes: process.stdout/stderr in `main.ts`, buffers in tests. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width, when a terminal. */
  readonly columns?: number;
}

/**
 * Exit codes, the same for every command (documented in `baton --help`).
 * 0-2 are a run's outcome for `start --wait`; 1 also means "invalid document"
 * for `validate` and `push`.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  cancelled: 2,
  error: 3,
  /** Ctrl-C while waiting: the run itself goes on. */
  interrupted: 130,
} as const;

/** Bad input on the command line: printed as `error: ...`, exit 3. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a command's body, records its exit code, and reports what it throws (exit 3). */
export type RunAction = (body: () => Promise<number>) => Promise<void>;

/** What every command gets: its outputs, the environment, time, and a client. */
export interface CommandContext {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Colours for stdout (off when not a TTY or NO_COLOR is set). */
  readonly style: Style;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly pollIntervalMs: number;
  /** Aborted on Ctrl-C (`main.ts`): `start --wait` stops waiting. */
  readonly signal?: AbortSignal;
  /** A client for `--server`, else `BATON_URL`, else http://localhost:8080. */
  client(command: Command): BatonClient;
}

export function createClientFactory(
  env: Readonly<Record<string, string | undefined>>,
  fetch: Fetch | undefined,
): (command: Command) => BatonClient {
  return (command) => {
    const option = command.optsWithGlobals<{ server?: string }>().server;
    const baseUrl = option ?? (env.BATON_URL || DEFAULT_BATON_URL);
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UsageError(`invalid server URL "${baseUrl}": expected e.g. http://localhost:8080`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`invalid server URL "${baseUrl}": only http and https are supported`);
    }
    return new BatonClient({ baseUrl, fetch });
  };
}
