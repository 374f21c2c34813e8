import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { E2E_ADMIN_TOKEN } from './env';

/** The repository root: built processes live under `<root>/dist/apps/<app>/src/main.js`. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export type BatonApp = 'baton' | 'api' | 'engine' | 'projector' | 'executor' | 'archiver';

export interface ProcessSpec {
  /** Names the log file (`<logDir>/<name>.log`) and the process in failure reports. */
  readonly name: string;
  readonly app: BatonApp;
  /** BATON_* settings; BATON_PORT is set from `port`. Inherited BATON_* variables are dropped. */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  readonly logDir: string;
}

/**
 * One built Baton process, spawned with `node dist/apps/<app>/src/main.js`.
 * stdout and stderr go straight to one file per process (appended across
 * restarts, each start marked), so a crash of the test process loses nothing
 * and a failing test can print the tail.
 *
 * @example
 *   const engine = new BatonProcess({ name: 'engine', app: 'engine', env, port, logDir });
 *   await engine.start();
 *   await engine.kill();      // SIGKILL
 *   await engine.start();     // same env, same port
 */
export class BatonProcess {
  private child: ChildProcess | null = null;
  private exitPromise: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private starts = 0;
  /** Set when the process died without being asked to; shown in failure reports. */
  unexpectedExit: string | null = null;
  /** Epoch ms of the last spawn. */
  startedAt = 0;
  /** Byte offset of the log file at the last spawn: what this incarnation wrote starts there. */
  logOffset = 0;

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get logFile(): string {
    return join(this.spec.logDir, `${this.spec.name}.log`);
  }

  /** Spawns the process and waits until `/health` answers 200. */
  async start(healthTimeoutMs = 60_000): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running (pid ${this.child.pid})`);
    const script = join(REPO_ROOT, 'dist', 'apps', this.spec.app, 'src', 'main.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
    this.starts++;
    const fd = openSync(this.logFile, 'a');
    writeSync(fd, `\n=== ${this.name} start #${this.starts} at ${new Date().toISOString()}\n`);
    this.logOffset = fileSize(this.logFile);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('BATON_')) env[key] = value;
    }
    // Every process accepts the suites' admin token; the suites' bursts of run requests are not
    // what the per-token rate limit is for (auth.e2e-spec.ts and the API specs test it).
    Object.assign(
      env,
      { BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN, BATON_RATE_LIMIT_PER_MINUTE: '0' },
      this.spec.env,
      { BATON_PORT: String(this.spec.port) },
    );
    const child = spawn(process.execPath, [script], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.child = child;
    this.startedAt = Date.now();
    this.expectingExit = false;
    this.unexpectedExit = null;
    live.add(this);
    this.exitPromise = new Promise((done) => {
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) {
          this.unexpectedExit = `exited unexpectedly (code ${code}, signal ${signal})`;
        }
        if (this.child === child) this.child = null;
        live.delete(this);
        done();
      });
    });
    await this.waitHealthy(healthTimeoutMs);
  }

  /** SIGTERM (graceful: leaves consumer groups, closes the log); SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** SIGKILL: the crash under test. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill('SIGKILL');
    await this.exitPromise;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Sum of every sample of a Prometheus metric from `/metrics` (0 when absent or unreachable). */
  async metric(name: string): Promise<number> {
    try {
      const response = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(2_000) });
      const text = await response.text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').pop());
      }
      return sum;
    } catch {
      return 0;
    }
  }

  /** The last `lines` lines of this process's log file. */
  tail(lines = 40): string {
    if (!existsSync(this.logFile)) return '(no log file)';
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** JSON log lines written by the current incarnation (since the last start). */
  logLinesSinceStart(): Array<Record<string, unknown>> {
    if (!existsSync(this.logFile)) return [];
    const text = readFileSync(this.logFile).subarray(this.logOffset).toString('utf8');
    const lines: Array<Record<string, unknown>> = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by SIGKILL
      }
    }
    return lines;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (!this.child) {
        throw new Error(`${this.name} died during start: ${this.unexpectedExit}\n${this.tail(60)}`);
      }
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = String((error as Error).cause ?? error);
      }
      await sleep(100);
    }
    throw new Error(`${this.name} not healthy after ${timeoutMs} ms (${last})\n${this.tail(60)}`);
  }
}

/**
 * The processes of one suite. `guard` turns a failing test into one that
 * also prints every process's log tail (and says which died unexpectedly).
 */
export class ProcessGroup {
  readonly processes: BatonProcess[] = [];

  constructor(readonly logDir: string) {}

  add(spec: Omit<ProcessSpec, 'logDir'>): BatonProcess {
    const process = new BatonProcess({ ...spec, logDir: this.logDir });
    this.processes.push(process);
    return process;
  }

  /** Runs `body`; on failure, rethrows with every process's state and log tail appended. */
  async guard<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      const report = this.report();
      if (error instanceof Error) {
        error.message = `${error.message}\n\n${report}`;
        throw error;
      }
      throw new Error(`${String(error)}\n\n${report}`);
    }
  }

  report(lines = 30): string {
    return this.processes
      .map((p) => {
        const state = p.running ? `running (pid ${p.pid})` : (p.unexpectedExit ?? 'stopped');
        return `--- ${p.name}: ${state}; log ${p.logFile}\n${p.tail(lines)}`;
      })
      .join('\n');
  }

  /** Processes that died without being asked to. */
  crashed(): BatonProcess[] {
    return this.processes.filter((p) => p.unexpectedExit !== null && !p.running);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
  }
}

const live = new Set<BatonProcess>();
// A test run that dies (or a suite that forgets afterAll) must not leave Baton processes behind.
process.once('exit', () => {
  for (const p of live) {
    try {
      if (p.pid !== undefined) process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
