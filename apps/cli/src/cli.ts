import { Command, CommanderError } from 'commander';
import type { Fetch } from './api-client';
import { registerGetCommand } from './commands/get.command';
import { registerImportCommand } from './commands/import.command';
import { registerKillCommand } from './commands/kill.command';
import { registerLogCommand } from './commands/log.command';
import { registerLogsCommand } from './commands/logs.command';
import { registerPushCommand } from './commands/push.command';
import { registerRestartCommand } from './commands/restart.command';
import { registerResumeCommand } from './commands/resume.command';
import { registerRunsCommand } from './commands/runs.command';
import { registerSignalCommand } from './commands/signal.command';
import { registerSkipCommand } from './commands/skip.command';
import { registerStartCommand } from './commands/start.command';
import { registerStopCommand } from './commands/stop.command';
import { registerValidateCommand } from './commands/validate.command';
import { registerTokenCommand } from './commands/token.command';
import { registerWorkflowCommand } from './commands/workflow.command';
import { registerWorkflowsCommand } from './commands/workflows.command';
import { registerWatchCommand } from './commands/watch.command';
import { registerCompletionCommand } from './commands/completion.command';
import {
  createClientFactory,
  EXIT,
  type CommandContext,
  type Output,
  type ReadTextFile,
  type RunAction,
} from './context';
import { reportError } from './render/errors';
import { createStyle } from './render/style';

/** Everything the CLI touches outside itself, so tests can drive it in-process. */
export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Global fetch unless given. */
  readonly fetch?: Fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** `start --wait` polls the run this often; 300 ms unless given. */
  readonly pollIntervalMs?: number;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Where the local admin token is read from (`main.ts`: the file system); none unless given. */
  readonly readTextFile?: ReadTextFile;
  /** What `baton --version` prints (main.ts: package.json's version). */
  readonly version?: string;
}

const PROGRAM_HELP = `
  baton --version (-V) prints the version.

Server:
  --server URL, else $BATON_URL, else http://localhost:8080 (start one with: npm start)
  --token TOKEN, else $BATON_TOKEN, else (for a server on this machine) the admin token
  npm start wrote to .baton/admin-token ($BATON_DATA_DIR/admin-token)

Exit codes:
  0  success (start/restart --wait, watch: the run succeeded)
  1  start/restart --wait, watch: the run failed; validate/push: the document is invalid
  2  start/restart --wait, watch: the run was cancelled
  3  usage error, Baton unreachable, or the server refused the request
  130  waiting interrupted with Ctrl-C (the run goes on)

Colours only when stdout is a terminal and NO_COLOR is unset.

Examples:
  $ baton validate examples/diamond.yaml
  $ baton push examples/diamond.yaml
  $ baton start sales.daily -p mode=full --wait
  $ baton runs --workflow sales.daily --status failed
  $ baton workflows
  $ baton get 287b603f-d7e6-81bf-9b57-a28ce28e6fae
  $ baton get 287b603f          (a unique prefix of a run id, as git takes short hashes)
  $ baton watch 287b603f
  $ baton logs -f 287b603f extract
  $ baton stop 287b603f --reason "maintenance window"
  $ baton kill 287b603f --reason "wrong params"
  $ baton restart 287b603f --from-step load -p min_rows=100 --wait
  $ baton skip 287b603f extract
  $ baton resume 287b603f load
  $ baton workflow pause sales.daily
  $ baton signal sales.file_landed -p day=2026-01-02
  $ baton log verify --dir .baton/log
  $ baton token create --role viewer --scope sales. --name dashboards
  $ source <(baton completion bash)`;

/**
 * Runs the `baton` command line once and returns its exit code; never calls
 * process.exit (main.ts does).
 *
 * @example
 *   const code = await runCli(['runs', '--json'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const run: RunAction = async (body) => {
    try {
      exitCode = await body();
    } catch (error) {
      exitCode = reportError(error, io.stderr);
    }
  };
  const ctx: CommandContext = {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    style: createStyle(io.stdout.isTTY === true, io.env),
    now: io.now ?? Date.now,
    sleep: io.sleep ?? sleep,
    pollIntervalMs: io.pollIntervalMs ?? 300,
    signal: io.signal,
    client: createClientFactory(io.env, io.fetch, io.readTextFile),
  };
  // Not commander's .version(): program options are read anywhere on the line, and
  // `start --version N` (a workflow version) must stay the start command's.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`baton ${io.version ?? 'unknown'}\n`);
    return EXIT.ok;
  }
  const program = buildProgram(ctx, run, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Help and usage errors: commander has already printed them through configureOutput.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    return reportError(error, io.stderr);
  }
  return exitCode;
}

function buildProgram(ctx: CommandContext, run: RunAction, io: CliIo): Command {
  const program = new Command('baton')
    .description('Baton workflow orchestrator: validate and push workflows, start, follow and control runs.')
    .option('--server <url>', 'Baton API base URL (default: $BATON_URL or http://localhost:8080)')
    .option('--token <token>', 'API token (default: $BATON_TOKEN, or the local admin token in .baton/)')
    .addHelpText('after', PROGRAM_HELP)
    .showHelpAfterError('(add --help for usage)')
    // Settings below are inherited by every subcommand added after them.
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns || 100,
      getErrHelpWidth: () => io.stderr.columns || 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  registerValidateCommand(program, ctx, run);
  registerPushCommand(program, ctx, run);
  registerStartCommand(program, ctx, run);
  registerRunsCommand(program, ctx, run);
  registerWatchCommand(program, ctx, run);
  registerGetCommand(program, ctx, run);
  registerLogsCommand(program, ctx, run);
  registerRestartCommand(program, ctx, run);
  registerStopCommand(program, ctx, run);
  registerKillCommand(program, ctx, run);
  registerSkipCommand(program, ctx, run);
  registerResumeCommand(program, ctx, run);
  registerWorkflowsCommand(program, ctx, run);
  registerWorkflowCommand(program, ctx, run);
  registerSignalCommand(program, ctx, run);
  registerLogCommand(program, ctx, run);
  registerTokenCommand(program, ctx, run);
  registerCompletionCommand(program, ctx, run);
  registerImportCommand(program, ctx, run);
  return program;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
