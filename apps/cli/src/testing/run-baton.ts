import { runCli, type CliIo } from '../cli';
import { NOW } from './fixtures';

export interface BatonResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunBatonOptions {
  readonly server?: string;
  readonly env?: Record<string, string | undefined>;
  readonly tty?: boolean;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
  /** Files the CLI may read (the local admin token), by absolute path. */
  readonly files?: Readonly<Record<string, string>>;
}

/** Runs the CLI in-process against `server`, capturing what it prints. */
export async function runBaton(argv: readonly string[], options: RunBatonOptions = {}): Promise<BatonResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false, columns: 120 },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...(options.server === undefined ? {} : { BATON_URL: options.server }), ...options.env },
    now: options.now ?? (() => NOW),
    pollIntervalMs: 5,
    signal: options.signal,
    readTextFile: (path) => options.files?.[path] ?? null,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
