import { parentPort, workerData } from 'node:worker_threads';
import { PGliteSqlClient } from './pglite-sql-client';
import {
  serializeError,
  type WorkerOptions,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker.protocol';
import type { SqlClient } from './sql-client';

/**
 * The thread `PGliteWorkerSqlClient` runs PGlite on: a `PGliteSqlClient`
 * driven by messages. A transaction stays open here between `begin` and
 * `end` while the caller's callback runs on the other thread; PGlite's own
 * mutex queues every other call behind it, exactly as in one thread.
 */

/** Thrown inside the open transaction to make PGlite roll it back. */
const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  readonly tx: SqlClient;
  readonly finish: (commit: boolean) => void;
  readonly done: Promise<unknown>;
}

const port = parentPort!;
const post = (reply: WorkerReply) => port.postMessage(reply);

async function main(options: WorkerOptions): Promise<void> {
  let client: PGliteSqlClient;
  try {
    client = await PGliteSqlClient.open({
      ...options,
      dataDirLocked: true,
      onVacuumError: (error) => post({ op: 'vacuumError', error: serializeError(error) }),
    });
  } catch (error) {
    post({ op: 'failed', error: serializeError(error) });
    return;
  }
  const transactions = new Map<number, OpenTransaction>();
  let nextTx = 0;

  const begin = (id: number) => {
    const txId = ++nextTx;
    let finish!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (finish = resolve));
    let begun = false;
    const done = client.transaction(async (tx) => {
      transactions.set(txId, { tx, finish, done });
      begun = true;
      post({ id, ok: true, value: txId });
      if (!(await decided)) throw ROLLBACK;
    });
    // Only a failure to begin answers `begin`; later outcomes answer `end`.
    done.catch((error: unknown) => {
      if (!begun) post({ id, ok: false, error: serializeError(error) });
    });
  };

  const end = async (txId: number, commit: boolean) => {
    const open = transactions.get(txId);
    if (open === undefined) throw new Error(`PGlite worker: no open transaction ${txId}`);
    transactions.delete(txId);
    open.finish(commit);
    try {
      await open.done;
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return null;
  };

  const handle = async (request: WorkerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query': {
        if (request.tx === undefined) return client.query(request.sql, request.params);
        const open = transactions.get(request.tx);
        if (open === undefined) throw new Error(`PGlite worker: no open transaction ${request.tx}`);
        return open.tx.query(request.sql, request.params);
      }
      case 'end':
        return end(request.tx, request.commit);
      case 'begin':
      case 'close':
        throw new Error(`${request.op} is answered on its own`);
      default:
        return assertNever(request);
    }
  };

  port.on('message', (request: WorkerRequest) => {
    if (request.op === 'begin') return begin(request.id);
    if (request.op === 'close') {
      // The reply goes out before the port closes; the thread then ends by itself.
      void client
        .close()
        .then(
          () => post({ id: request.id, ok: true, value: null }),
          (error: unknown) => post({ id: request.id, ok: false, error: serializeError(error) }),
        )
        .finally(() => port.close());
      return;
    }
    handle(request).then(
      (value) => post({ id: request.id, ok: true, value }),
      (error: unknown) => post({ id: request.id, ok: false, error: serializeError(error) }),
    );
  });
  post({ op: 'ready' });
}

function assertNever(value: never): never {
  throw new Error(`unhandled request: ${JSON.stringify(value)}`);
}

void main(workerData as WorkerOptions);
