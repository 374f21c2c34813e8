import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { processTree } from '../harness/procfs';
import type { StepKind } from '../harness/workflows';
import type { BenchSystem, ChainTimes, SystemProcess } from '../workloads/system';
import { peersDir } from './peer-modules';
import { PeerProcess, unixHttp } from './peer-process';

const SERVICE_PORT = 9080;

/**
 * Restate 1.7 (`@restatedev/restate-server`, default configuration) with the
 * benchmark's service (`restate-service.ts`, the TypeScript SDK), driven
 * through the ingress HTTP API.
 *
 * restate-server tries to reach the internet at start-up (a release check
 * that RESTATE_DISABLE_TELEMETRY does not stop), so it runs in a
 * loopback-only network namespace (`unshare -n`, then `ip link set lo up`;
 * needs root), with its service in the same namespace (`nsenter`). The
 * harness, outside, reaches the ingress and admin APIs through the Unix
 * sockets the server also listens on (`<base-dir>/<node>/ingress.sock`).
 */
export class RestateSystem implements BenchSystem {
  readonly name = 'restate';
  readonly stepKinds: readonly StepKind[] = ['noop'];

  private constructor(
    private readonly server: PeerProcess,
    private readonly service: PeerProcess,
    private readonly ingress: string,
  ) {}

  static async start(root: string, workDir: string): Promise<RestateSystem> {
    const bin = join(peersDir(root), 'node_modules/@restatedev/restate-server-linux-x64/bin/restate-server');
    if (!existsSync(bin)) throw new Error(`no ${bin}: run npm ci --prefix apps/benchmarks/peers`);
    const dataDir = join(workDir, 'restate');
    mkdirSync(dataDir, { recursive: true });
    const log = join(workDir, 'restate.log');
    const server = PeerProcess.start(
      'restate-server',
      'unshare',
      ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" --base-dir "$1" --node-name bench', bin, dataDir],
      log,
    );
    const admin = join(dataDir, 'bench/admin.sock');
    const ingress = join(dataDir, 'bench/ingress.sock');
    let service: PeerProcess | undefined;
    try {
      await server.waitUntil(
        'admin health',
        async () => (await unixHttp(admin, 'GET', '/health')).status === 200,
      );
      service = PeerProcess.start(
        'restate-service',
        'nsenter',
        [
          '-t',
          String(server.pid),
          '-n',
          process.execPath,
          join(__dirname, 'restate-service.js'),
          root,
          String(SERVICE_PORT),
        ],
        join(workDir, 'restate-service.log'),
      );
      const uri = `http://127.0.0.1:${SERVICE_PORT}`;
      await service.waitUntil('deployment registered', async () => {
        const response = await unixHttp(admin, 'POST', '/deployments', { uri });
        return response.status === 201 || response.status === 200;
      });
      await server.waitUntil('ingress ready', async () => {
        const response = await unixHttp(ingress, 'POST', '/bench/chain', { steps: 1 });
        return response.status === 200;
      });
      return new RestateSystem(server, service, ingress);
    } catch (error) {
      await Promise.all([service?.stop(), server.stop()]);
      throw new Error(`${(error as Error).message} (logs in ${workDir})`);
    }
  }

  processes(): SystemProcess[] {
    return [this.server, this.service].flatMap((p) =>
      processTree(p.pid).map((pid) => ({ name: `${p.name}-${pid}`, pid, own: true })),
    );
  }

  async chain(steps: number): Promise<ChainTimes> {
    const sentAt = Date.now();
    const result = await this.call<{ stepStarts: number[]; stepEnds: number[] }>('POST', '/bench/chain', {
      steps,
    });
    return { sentAt, ...result, endedAt: Date.now() };
  }

  /** One-way sends (accepted = the invocation id came back), then an attach to each for its result. */
  async burst(
    runs: number,
    steps: number,
    _kind: StepKind,
    key: string,
  ): Promise<{ acceptedAt: number; lastEndedAt: number }> {
    const sends = await Promise.all(
      Array.from({ length: runs }, (_, i) =>
        this.call<{ invocationId: string }>(
          'POST',
          '/bench/chain/send',
          { steps },
          { 'idempotency-key': `${key}-${i}` },
        ),
      ),
    );
    const acceptedAt = Date.now();
    await Promise.all(sends.map((s) => this.call('GET', `/restate/invocation/${s.invocationId}/attach`)));
    return { acceptedAt, lastEndedAt: Date.now() };
  }

  async fanout(children: number): Promise<{ sentAt: number; endedAt: number }> {
    const sentAt = Date.now();
    await this.call('POST', '/bench/fanout', { children });
    return { sentAt, endedAt: Date.now() };
  }

  async stop(): Promise<void> {
    await this.service.stop();
    await this.server.stop();
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await unixHttp(this.ingress, method, path, body, headers);
    if (response.status >= 300)
      throw new Error(`restate ${method} ${path}: ${response.status} ${response.body}`);
    return JSON.parse(response.body) as T;
  }
}
