import { AsyncLocalStorage } from 'node:async_hooks';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataDirLock } from './data-dir-lock';
import type { PGliteSqlClientOptions } from './pglite-sql-client';
import {
  deserializeError,
  type WorkerOptions,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker.protocol';
import { TransactionScope, type SqlClient } from './sql-client';

type Call = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * `SqlClient` over PGlite running in a worker thread (`pglite-worker.ts`), so
 * the read model's SQL (projector, archiver, API queries) runs on the second
 * core instead of on the engine's event loop. It behaves as
 * `PGliteSqlClient` does (the same contract suite): one connection, callers
 * queue, a transaction is `begin` ... queries ... `end` while its callback
 * runs here, errors keep their SQLSTATE `code`, and calling the client
 * itself inside `transaction(fn)` fails at once instead of waiting forever.
 *
 * The thread holds the process open only while a call is in flight, like a
 * socket would.
 *
 * @example
 *   const sql = await PGliteWorkerSqlClient.open({ dataDir: '.baton/readmodel' });
 *   await migrate(sql);
 */
export class PGliteWorkerSqlClient implements SqlClient {
  private readonly insideTransaction = new AsyncLocalStorage<true>();
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  /** Set once the thread cannot answer any more (closed, crashed); every later call fails with it. */
  private broken: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly lock: DataDirLock | undefined,
  ) {
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`PGlite worker thread exited (code ${code})`)));
    worker.unref();
  }

  static async open(options: PGliteSqlClientOptions = {}): Promise<PGliteWorkerSqlClient> {
    const lock = options.dataDir === undefined ? undefined : DataDirLock.acquire(options.dataDir);
    const entry = workerEntry();
    const workerData: WorkerOptions = { dataDir: options.dataDir, vacuumEveryMs: options.vacuumEveryMs };
    const worker = new Worker(entry.script, { eval: entry.eval, workerData });
    const onVacuumError = options.onVacuumError ?? ((error) => console.warn('PGlite VACUUM failed', error));
    await new Promise<void>((ready, failed) => {
      const onMessage = (reply: WorkerReply) => {
        if (!('op' in reply)) return;
        if (reply.op === 'ready') ready();
        else if (reply.op === 'failed') failed(deserializeError(reply.error));
        else return;
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      const onExit = (code: number) =>
        failed(new Error(`PGlite worker thread exited on start (code ${code})`));
      worker.on('message', onMessage);
      worker.once('error', failed);
      worker.once('exit', onExit);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      lock?.release();
      throw error;
    });
    worker.on('message', (reply: WorkerReply) => {
      if ('op' in reply && reply.op === 'vacuumError') onVacuumError(deserializeError(reply.error));
    });
    return new PGliteWorkerSqlClient(worker, lock);
  }

  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    this.refuseReentry();
    return (await this.call({ op: 'query', sql, params })) as T[];
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.refuseReentry();
    const tx = (await this.call({ op: 'begin' })) as number;
    const scope = new TransactionScope(
      async (sql, params) => (await this.call({ op: 'query', sql, params, tx })) as object[],
    );
    let value: T;
    try {
      value = await this.insideTransaction.run(true, () => fn(scope));
    } catch (error) {
      scope.end();
      await this.call({ op: 'end', tx, commit: false });
      throw error;
    }
    scope.end();
    await this.call({ op: 'end', tx, commit: true });
    return value;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.call({ op: 'close' });
      } finally {
        this.broken ??= new Error('PGliteWorkerSqlClient: the client is closed');
        await this.worker.terminate();
        this.lock?.release();
      }
    })();
    return this.closing;
  }

  private call(request: Call): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    const id = ++this.nextId;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private onReply(reply: WorkerReply): void {
    if (!('id' in reply)) return;
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(deserializeError(reply.error));
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  private refuseReentry(): void {
    if (this.insideTransaction.getStore()) {
      throw new Error(
        'PGliteWorkerSqlClient: inside transaction(fn) use the `tx` handle; the client itself would wait for fn forever',
      );
    }
  }
}

/**
 * The worker's script: the compiled `pglite-worker.js` beside this file. Run
 * from TypeScript sources (Jest), a worker cannot load `.ts`, so it gets a
 * few lines that transpile the sources it requires and resolve the
 * `@baton/*` paths of tsconfig.json, then the same entry.
 */
function workerEntry(): { script: string; eval: boolean } {
  const extension = extname(__filename);
  const file = join(__dirname, `pglite-worker${extension}`);
  if (extension !== '.ts') return { script: file, eval: false };
  const libs = resolve(__dirname, '../..');
  const script = `
    const Module = require('node:module');
    const ts = require('typescript');
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, filename) => module._compile(
      ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText,
      filename,
    );
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const alias = /^@baton\\/([^/]+)(\\/.*)?$/.exec(request);
      const target = alias ? ${JSON.stringify(libs)} + '/' + alias[1] + '/src' + (alias[2] || '') : request;
      return resolveFilename.call(this, target, ...rest);
    };
    require(${JSON.stringify(file)});`;
  return { script, eval: true };
}
