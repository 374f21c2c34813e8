import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { sleep } from '../harness/api-client';

/**
 * A peer's process (restate-server, redis-server, a worker), its output
 * appended to `logFile`. `started` resolves once a line of stdout matches
 * `ready` (when given).
 */
export class PeerProcess {
  private exited = false;
  private readonly closed: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('exit', () => (this.exited = true));
  }

  static start(
    name: string,
    command: string,
    args: readonly string[],
    logFile: string,
    env: NodeJS.ProcessEnv = {},
  ): PeerProcess {
    const log = openSync(logFile, 'a');
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
    return new PeerProcess(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Polls `check` until it answers true; fails early if the process exited (see its log). */
  async waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`${this.name} exited before ${what}`);
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** SIGTERM, SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.exited) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.closed;
    clearTimeout(timer);
  }
}

const unixAgent = new Agent({ keepAlive: true });

/** One HTTP/1.1 exchange over a Unix socket (Restate's ingress and admin, from outside its network namespace). */
export function unixHttp(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        agent: unixAgent,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
