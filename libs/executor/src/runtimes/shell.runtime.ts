import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { JsonObject, JsonValue } from '@baton/domain/shared/json';
import { AttemptSignal, stopMessage } from './attempt-signal';
import { guardProcessGroup } from './group-death-guard';
import { DEFAULT_TAIL_BYTES, LogCollector, lastChars } from './log-tail';
import { describeError, type RunContext, type StepRuntime } from './step-runtime';
import { parseStepOutput } from './step-output-json';
import { failed, succeeded, type ShellTask, type StepOutcome } from '@baton/contracts';

/**
 * Runs a shell step: `spec.command` as argv with `spawn(argv[0], argv.slice(1),
 * { shell: false })`. Nothing from params or env is ever spliced into a
 * command line; a step that wants a shell writes `[sh, -c, 'echo "$X"']`.
 *
 * Environment (later entries win):
 * 1. inherited from the executor: only `inheritEnv` (default PATH, HOME,
 *    LANG, LC_ALL, TZ). Never the whole environment: an executor's env holds
 *    its own secrets (Kafka/DB credentials, cloud tokens) that a step, or the
 *    scripts it downloads, must not see;
 * 2. `TMPDIR` = a private directory removed after the attempt;
 * 3. `spec.env`, exactly as named;
 * 4. each param `name` as `BATON_PARAM_<NAME>`: upper-cased, every character
 *    outside [A-Z0-9] replaced by `_` (`max-rows` -> `BATON_PARAM_MAX_ROWS`).
 *    Strings are passed raw; any other JSON value JSON-encoded (`42`,
 *    `true`, `null`, `{"a":1}`). Params are only available prefixed, so a
 *    param can never replace PATH or LD_PRELOAD. Two params that map to the
 *    same variable fail the attempt (user error);
 * 5. `BATON_RUN_ID`, `BATON_WORKFLOW_ID`, `BATON_WORKFLOW_VERSION`,
 *    `BATON_STEP_ID`, `BATON_ATTEMPT`, `BATON_OUTPUT_FILE`.
 *
 * Outputs: a step that wants to return data writes one JSON object to the
 * file named by `BATON_OUTPUT_FILE` (at most 1 MiB). On exit 0 the result is
 * `{ exitCode: 0, output: <that object> }`, or `{ exitCode: 0 }` when the
 * file was not written; a file that is not a JSON object fails the attempt.
 * (A file, not stdout, so logging stays free-form.)
 *
 * Working directory: `spec.workingDirectory` (absolute, must exist), else a
 * fresh empty directory per attempt, removed with everything in it once the
 * attempt ends, so attempts never see each other's leftovers and disks do
 * not fill up.
 *
 * Processes: the command leads its own process group (`detached`). Timeout
 * or cancel sends SIGTERM to the whole group, then SIGKILL after
 * `killGraceMs`. When the command exits, whatever is left in its group
 * (background jobs) gets SIGKILL at once: a step's processes never outlive
 * its attempt, nor its executor (a guard kills the group when the executor
 * dies, even by SIGKILL). (A process that calls setsid itself escapes; so do daemons.)
 */
export interface ShellRuntimeOptions {
  /** Time between SIGTERM and SIGKILL on timeout/cancel. Default 5000 ms. */
  readonly killGraceMs?: number;
  /** Bytes kept per stream. Default 64 KiB. */
  readonly tailBytes?: number;
  /** Executor variables passed through. Default PATH, HOME, LANG, LC_ALL, TZ. */
  readonly inheritEnv?: readonly string[];
  /** Where per-attempt directories are created. Default `os.tmpdir()`. */
  readonly tempRoot?: string;
  /** Largest accepted `BATON_OUTPUT_FILE`. Default 1 MiB. */
  readonly maxOutputFileBytes?: number;
  /**
   * The executor's environment, which `inheritEnv` reads from (the app passes
   * its `process.env`; libraries never read it). Default none: only a fallback PATH.
   */
  readonly executorEnv?: NodeJS.ProcessEnv;
}

export const DEFAULT_INHERITED_ENV: readonly string[] = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'];
const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';
/** How long to wait for stdout/stderr to close once the group is gone (escaped processes may hold them). */
const STREAM_CLOSE_WAIT_MS = 1000;

export function paramEnvName(name: string): string {
  return `BATON_PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function paramEnvValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type ProcessEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'spawn-error'; readonly error: NodeJS.ErrnoException };

export class ShellRuntime implements StepRuntime<'shell'> {
  readonly type = 'shell' as const;
  private readonly killGraceMs: number;
  private readonly tailBytes: number;
  private readonly inheritEnv: readonly string[];
  private readonly tempRoot: string;
  private readonly maxOutputFileBytes: number;
  private readonly executorEnv: NodeJS.ProcessEnv;

  constructor(options: ShellRuntimeOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.tailBytes = options.tailBytes ?? DEFAULT_TAIL_BYTES;
    this.inheritEnv = options.inheritEnv ?? DEFAULT_INHERITED_ENV;
    this.tempRoot = options.tempRoot ?? tmpdir();
    this.maxOutputFileBytes = options.maxOutputFileBytes ?? 1024 * 1024;
    this.executorEnv = options.executorEnv ?? {};
  }

  async run(task: ShellTask, ctx: RunContext): Promise<StepOutcome> {
    const argv = task.spec.command;
    if (argv.length === 0 || argv[0] === '') return failed('user', 'shell step has an empty command');
    if (ctx.signal.aborted) return failed('cancelled', 'step cancelled');

    let scratch: string;
    try {
      scratch = await mkdtemp(join(this.tempRoot, 'baton-step-'));
      await mkdir(join(scratch, 'tmp'));
    } catch (error) {
      return failed('platform', `cannot create the attempt directory: ${describeError(error)}`);
    }
    try {
      return await this.runIn(scratch, task, ctx);
    } finally {
      await rm(scratch, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    }
  }

  private async runIn(scratch: string, task: ShellTask, ctx: RunContext): Promise<StepOutcome> {
    const outputFile = join(scratch, 'output.json');
    const env = this.environment(task, join(scratch, 'tmp'), outputFile);
    if (typeof env === 'string') return failed('user', env);

    const cwd = await this.workingDirectory(task, scratch);
    if (cwd.error !== undefined) return failed('user', cwd.error);

    const logs = new LogCollector(this.tailBytes, ctx.onLog);
    const attempt = new AttemptSignal(ctx.signal, task.timeoutMs);
    let end: ProcessEnd;
    let stopped = false;
    try {
      const command = task.spec.command;
      let child: ChildProcess;
      try {
        child = spawn(command[0], command.slice(1), {
          cwd: cwd.path,
          env,
          shell: false,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (error) {
        // Synchronous rejections: a NUL byte in argv, an invalid option.
        return failed('user', `cannot start ${command[0]}: ${describeError(error)}`, logs.logs());
      }
      // The group dies with the executor too, even on SIGKILL (group-death-guard.ts).
      const guard = child.pid === undefined ? null : guardProcessGroup(child.pid);
      try {
        ({ end, stopped } = await this.supervise(child, attempt.signal, logs));
      } finally {
        guard?.release();
      }
    } finally {
      attempt.dispose();
    }

    // Only a stop that reached the process counts: a timer firing while the
    // last output drains does not turn a finished attempt into a timeout.
    const reason = attempt.reason;
    if (stopped && reason !== undefined) {
      return failed(reason, stopMessage(reason, task.timeoutMs), logs.logs());
    }
    return this.outcome(task, end, outputFile, logs);
  }

  private async outcome(
    task: ShellTask,
    end: ProcessEnd,
    outputFile: string,
    logs: LogCollector,
  ): Promise<StepOutcome> {
    const program = task.spec.command[0];
    switch (end.kind) {
      case 'spawn-error':
        return failed('user', spawnErrorMessage(program, end.error), logs.logs());
      case 'exited': {
        if (end.code === 0) {
          const output = await this.readOutput(outputFile);
          if (typeof output === 'string') return failed('user', output, logs.logs(), { exitCode: 0 });
          return succeeded(output === undefined ? { exitCode: 0 } : { exitCode: 0, output }, logs.logs());
        }
        const stderr = lastChars(logs.logs().stderr.text);
        const how =
          end.code !== null
            ? `exited with code ${end.code}`
            : `was terminated by signal ${end.signal ?? '?'}`;
        const message = `${program} ${how}${stderr ? `; stderr: ${stderr}` : ''}`;
        const result: JsonObject =
          end.code !== null ? { exitCode: end.code } : { exitCode: null, signal: end.signal };
        return failed('user', message, logs.logs(), result);
      }
      default:
        return assertNever(end);
    }
  }

  /** The child's environment, or a user-facing reason why it cannot be built. */
  private environment(task: ShellTask, tmp: string, outputFile: string): Record<string, string> | string {
    const env: Record<string, string> = {};
    for (const name of this.inheritEnv) {
      const value = this.executorEnv[name];
      if (value !== undefined) env[name] = value;
    }
    env.PATH ??= FALLBACK_PATH;
    env.TMPDIR = tmp;

    for (const [name, value] of Object.entries(task.spec.env)) {
      if (name === '' || name.includes('=') || name.includes('\0')) {
        return `env name ${JSON.stringify(name)} is not a valid environment variable name`;
      }
      if (value.includes('\0')) return `env ${name} contains a NUL byte, which an environment cannot hold`;
      env[name] = value;
    }

    const paramOf = new Map<string, string>();
    for (const [name, value] of Object.entries(task.params)) {
      const variable = paramEnvName(name);
      const other = paramOf.get(variable);
      if (other !== undefined) {
        return `params ${JSON.stringify(other)} and ${JSON.stringify(name)} both map to ${variable}; rename one`;
      }
      paramOf.set(variable, name);
      const text = paramEnvValue(value);
      if (text.includes('\0')) return `param ${name} contains a NUL byte, which an environment cannot hold`;
      env[variable] = text;
    }

    env.BATON_RUN_ID = task.runId;
    env.BATON_WORKFLOW_ID = task.workflowId;
    env.BATON_WORKFLOW_VERSION = String(task.workflowVersion);
    env.BATON_STEP_ID = task.stepId;
    env.BATON_ATTEMPT = String(task.attempt);
    env.BATON_OUTPUT_FILE = outputFile;
    return env;
  }

  private async workingDirectory(
    task: ShellTask,
    scratch: string,
  ): Promise<{ path: string; error?: undefined } | { path?: undefined; error: string }> {
    const given = task.spec.workingDirectory;
    if (given === undefined) {
      const path = join(scratch, 'work');
      await mkdir(path);
      return { path };
    }
    if (!isAbsolute(given)) return { error: `workingDirectory must be an absolute path, got ${given}` };
    const info = await stat(given).catch(() => undefined);
    if (!info?.isDirectory())
      return { error: `workingDirectory ${given} does not exist or is not a directory` };
    return { path: given };
  }

  /**
   * Waits for the command to end, streaming its output into `logs`, and
   * enforces the stop signal on its process group.
   */
  private supervise(
    child: ChildProcess,
    stop: AbortSignal,
    logs: LogCollector,
  ): Promise<{ end: ProcessEnd; stopped: boolean }> {
    return new Promise((resolve) => {
      const pid = child.pid;
      let exited: ProcessEnd | undefined;
      let stopped = false;
      let killTimer: NodeJS.Timeout | undefined;
      let closeTimer: NodeJS.Timeout | undefined;
      let done = false;

      const finish = (end: ProcessEnd): void => {
        if (done) return;
        done = true;
        if (killTimer) clearTimeout(killTimer);
        if (closeTimer) clearTimeout(closeTimer);
        stop.removeEventListener('abort', onStop);
        resolve({ end, stopped });
      };
      const onStop = (): void => {
        if (exited) return;
        stopped = true;
        if (pid === undefined) return;
        signalGroup(pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.killGraceMs);
      };

      child.stdout?.on('data', (chunk: Buffer) => logs.write('stdout', chunk));
      child.stderr?.on('data', (chunk: Buffer) => logs.write('stderr', chunk));
      child.once('error', (error: NodeJS.ErrnoException) => {
        // Emitted instead of 'exit' when the program cannot be started.
        if (!exited) finish({ kind: 'spawn-error', error });
      });
      child.once('exit', (code, signal) => {
        exited = { kind: 'exited', code, signal };
        if (killTimer) clearTimeout(killTimer);
        // Leftovers in the group (background jobs) die with the step.
        if (pid !== undefined) signalGroup(pid, 'SIGKILL');
        // 'close' follows once stdout/stderr are drained; a process that left
        // the group may keep them open, so stop waiting after a moment.
        closeTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          if (exited) finish(exited);
        }, STREAM_CLOSE_WAIT_MS);
      });
      child.once('close', () => {
        if (exited) finish(exited);
      });

      if (stop.aborted) onStop();
      else stop.addEventListener('abort', onStop, { once: true });
    });
  }

  /** The parsed `BATON_OUTPUT_FILE`, undefined when absent, or a user-facing error. */
  private async readOutput(file: string): Promise<JsonObject | undefined | string> {
    // lstat: a symlink is refused, so a step cannot make the executor parse some other file.
    const info = await lstat(file).catch(() => undefined);
    if (info === undefined) return undefined;
    if (!info.isFile()) return 'BATON_OUTPUT_FILE is not a regular file';
    if (info.size > this.maxOutputFileBytes) {
      return `BATON_OUTPUT_FILE holds ${info.size} bytes; the limit is ${this.maxOutputFileBytes}`;
    }
    const text = await readFile(file, 'utf8');
    const parsed = parseStepOutput(text);
    if (!parsed.ok) return `BATON_OUTPUT_FILE ${parsed.reason}`;
    const value = parsed.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return 'BATON_OUTPUT_FILE must hold a JSON object';
    }
    return value as JsonObject;
  }
}

/** Signals a whole process group; a group that is already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function spawnErrorMessage(program: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `command not found: ${program}`;
    case 'EACCES':
      return `command is not executable: ${program}`;
    default:
      return `cannot start ${program}: ${describeError(error)}`;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
