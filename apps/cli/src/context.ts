import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ADMIN_TOKEN_FILE } from '@baton/auth/admin-token-file';
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
  /** A client for `--server`, else `BATON_URL`, else http://localhost:8080, with the token `resolveToken` finds. */
  client(command: Command): BatonClient;
}

/** Reads a file's text, or null when it cannot (missing, unreadable). */
export type ReadTextFile = (path: string) => string | null;

/**
 * The bearer token the CLI sends: `--token`, else `BATON_TOKEN`, else, for a
 * server on this machine only, the admin token the all-in-one wrote to its
 * data directory (`BATON_DATA_DIR`, default `./.baton`). A remote server never
 * gets the local admin token.
 */
export function resolveToken(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  server: URL,
  readTextFile: ReadTextFile,
): string | undefined {
  if (option) return option;
  if (env.BATON_TOKEN) return env.BATON_TOKEN;
  if (!LOOPBACK_HOSTS.includes(server.hostname)) return undefined;
  const text = readTextFile(join(resolve(env.BATON_DATA_DIR || '.baton'), ADMIN_TOKEN_FILE));
  return text?.trim() || undefined;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function createClientFactory(
  env: Readonly<Record<string, string | undefined>>,
  fetch: Fetch | undefined,
  readTextFile: ReadTextFile = () => null,
): (command: Command) => BatonClient {
  return (command) => {
    const { server: option, token } = command.optsWithGlobals<{ server?: string; token?: string }>();
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
    return new BatonClient({ baseUrl, fetch, token: resolveToken(token, env, url, readTextFile) });
  };
}
