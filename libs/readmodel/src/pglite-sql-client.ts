import type { PGlite, Transaction } from '@electric-sql/pglite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Module } from 'node:module';
import { DataDirLock } from './data-dir-lock';
import { parseInt8, TransactionScope, type SqlClient } from './sql-client';

export interface PGliteSqlClientOptions {
  /** A directory to persist to (created when missing); omitted means in memory (tests). */
  readonly dataDir?: string;
}

/**
 * `SqlClient` over PGlite: PostgreSQL compiled to WASM, in this process, with
 * no server. The embedded default's read model.
 *
 * PGlite is one connection. Its own mutex already makes a plain `query` wait
 * while a `transaction` is open (0.5.x runs every top-level call under its
 * transaction mutex), so concurrent callers queue rather than interleave; the
 * contract suite checks that rather than trusting it. The flip side: calling
 * the client (not `tx`) inside `transaction(fn)` would wait for itself
 * forever, so this adapter fails that call at once instead.
 *
 * Only one process may open a `dataDir` at a time: PGlite takes no lock on
 * it, so `open` takes one (`<dataDir>.lock`, see `DataDirLock`).
 *
 * Durability: a committed transaction survives `kill -9` of the process
 * (checked by hand: PGlite writes through to the files). Power loss is not
 * covered (no fsync guarantee was verified for the WASM file system).
 *
 * @example
 *   const sql = await PGliteSqlClient.open({ dataDir: '.baton/readmodel' });
 *   await migrate(sql);
 */
export class PGliteSqlClient implements SqlClient {
  /** Set inside a transaction callback's async context, to catch self-deadlock. */
  private readonly insideTransaction = new AsyncLocalStorage<true>();

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  static async open(options: PGliteSqlClientOptions = {}): Promise<PGliteSqlClient> {
    const { PGlite, types } = loadPGlite();
    const lock = options.dataDir === undefined ? undefined : DataDirLock.acquire(options.dataDir);
    try {
      const db = await PGlite.create(options.dataDir, {
        parsers: { [types.INT8]: parseInt8 },
      });
      return new PGliteSqlClient(db, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    this.refuseReentry();
    return run<T>(this.db, sql, params);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.refuseReentry();
    return this.db.transaction(async (tx) => {
      const scope = new TransactionScope((sql, params) => run(tx, sql, params));
      try {
        return await this.insideTransaction.run(true, () => fn(scope));
      } finally {
        scope.end();
      }
    });
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }

  private refuseReentry(): void {
    if (this.insideTransaction.getStore()) {
      throw new Error(
        'PGliteSqlClient: inside transaction(fn) use the `tx` handle; the client itself would wait for fn forever',
      );
    }
  }
}

/**
 * PGlite's CommonJS build still loads parts of itself with dynamic `import()`
 * (the Emscripten glue, `fs/promises`), which Jest's module sandbox refuses
 * without --experimental-vm-modules ("A dynamic import callback was invoked").
 * So PGlite is loaded with Node's own `require`, never the sandbox's: under
 * Jest, `node:module` is a subclass of Node's `Module` whose `createRequire`
 * hands out Jest's require, and Node's class is its prototype. In plain Node
 * this is an ordinary require.
 *
 * Consequence inside Jest only: PGlite lives in Node's realm, so the `Date`s
 * and errors it returns fail `instanceof` against the test's globals (they are
 * Dates and errors all the same; compare values).
 */
function loadPGlite(): typeof import('@electric-sql/pglite') {
  const parent: unknown = Object.getPrototypeOf(Module);
  const createRequire =
    typeof parent === 'function' && 'createRequire' in parent
      ? (parent as typeof Module).createRequire
      : Module.createRequire;
  return createRequire(__filename)('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
}

async function run<T>(target: PGlite | Transaction, sql: string, params?: readonly unknown[]): Promise<T[]> {
  if (params && params.length > 0) {
    return (await target.query<T>(sql, params.map(crossRealmSafe))).rows;
  }
  // The extended protocol (`query`) takes one statement; `exec` uses the simple
  // protocol, like pg does for a call without values.
  const results = await target.exec(sql);
  return (results[results.length - 1]?.rows ?? []) as T[];
}

/**
 * PGlite serializes a `Date` param only if it passes `instanceof Date` in
 * PGlite's realm, which a Jest test's Date does not (see `loadPGlite`). ISO
 * text is what it would send anyway.
 */
function crossRealmSafe(value: unknown): unknown {
  return Object.prototype.toString.call(value) === '[object Date]' ? (value as Date).toISOString() : value;
}
