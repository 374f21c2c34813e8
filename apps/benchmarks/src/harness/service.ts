import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ServiceSpec {
  /** Shown in figures ("engine-1", "executor-2", ...). */
  readonly name: string;
  /** The compiled entry point, relative to the repository root. */
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  readonly port: number;
  /** Extra `node` flags (the profiler's). */
  readonly nodeArgs?: readonly string[];
}

/** A JSON log line of a Baton process, with the harness's clock when it arrived. */
export interface LogLine {
  readonly receivedAt: number;
  readonly time?: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/**
 * A Baton process spawned by the harness. Its stdout (JSON lines) is kept in
 * memory for `waitForLog` and copied to `<logDir>/<name>.log`.
 */
export class Service {
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;
  /** The end of stderr: a crash's stack trace, for the error that reports it. */
  private stderr = '';
  /** Resolves once the process exited and its stdout and stderr were read to the end. */
  private readonly closed: Promise<void>;
  readonly spawnedAt: number;

  private constructor(
    readonly spec: ServiceSpec,
    private readonly child: ChildProcess,
    private readonly file: WriteStream,
  ) {
    this.spawnedAt = Date.now();
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      file.write(chunk);
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.lines.push(parseLine(line));
      }
      for (const wake of this.waiters) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      file.write(chunk);
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
  }

  static start(spec: ServiceSpec, root: string, logDir: string): Service {
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), join(root, spec.script)], {
      cwd: root,
      env: { ...process.env, ...spec.env, BATON_PORT: String(spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
    return new Service(spec, child, file);
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  /** Resolves with the first log line (from `from` on) whose `msg` matches. */
  async waitForLog(pattern: RegExp, timeoutMs: number, from = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    let index = from;
    for (;;) {
      for (; index < this.lines.length; index++) {
        const line = this.lines[index];
        if (typeof line.msg === 'string' && pattern.test(line.msg)) return line;
      }
      if (this.exited) {
        await this.closed;
        throw new Error(`${this.name} exited before logging ${pattern}; its last output:\n${this.tail()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name} did not log ${pattern} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The heap used after a full GC; needs the stack's `liveHeap` option for this process. */
  async liveHeapBytes(timeoutMs = 60_000): Promise<number> {
    const from = this.lines.length;
    this.child.kill('SIGWINCH');
    const line = await this.waitForLog(/^live heap$/, timeoutMs, from);
    return Number(line.heapUsedBytes);
  }

  /** SIGTERM (graceful: consumer groups are left), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.exited) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.closed;
    clearTimeout(timer);
    await this.close();
  }

  /** SIGSTOP / SIGCONT: a paused process (a GC pause, a frozen VM), for liveness measurements. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (!this.exited) this.child.kill(signal);
  }

  /** SIGKILL: a crash, for recovery measurements. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.closed;
    await this.close();
  }

  /** The last log messages and the end of stderr. */
  private tail(): string {
    const messages = this.lines.slice(-5).map((line) => `  ${line.msg ?? JSON.stringify(line)}`);
    return [...messages, this.stderr.trim()].filter((part) => part.length > 0).join('\n');
  }

  /**
   * Ends the log file, after `closed`: 'exit' may come before the last of
   * the process's output was read, which would then be lost.
   */
  private close(): Promise<void> {
    return new Promise((resolve) => this.file.end(() => resolve()));
  }
}

/** Bytes of stderr kept for error messages. */
const STDERR_KEPT = 4_000;

function parseLine(line: string): LogLine {
  const receivedAt = Date.now();
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return { ...parsed, receivedAt };
  } catch {
    return { receivedAt, msg: line };
  }
}
