import type { PGlite, Transaction } from '@electric-sql/pglite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Module } from 'node:module';
import { DataDirLock } from './data-dir-lock';
import { parseInt8, TransactionScope, type SqlClient } from './sql-client';

export interface PGliteSqlClientOptions {
  /** A directory to persist to (created when missing); omitted means in memory (tests). */
  readonly dataDir?: string;
  /** How often to `VACUUM` (see the class comment). Default 10 000; 0 never. */
  readonly vacuumEveryMs?: number;
  /** A periodic `VACUUM` failed (the next one tries again). Default: `console.warn`. */
  readonly onVacuumError?: (error: unknown) => void;
  /**
   * The caller holds the data directory's `DataDirLock` already: set only by
   * `PGliteWorkerSqlClient`, which takes it on the process's main thread
   * (the lock's "already open in this process" check is per thread).
   */
  readonly dataDirLocked?: boolean;
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
 * Calls with values run as named prepared statements, one per SQL text
 * (`PreparedStatements`, below); calls without values use the simple protocol.
 *
 * PGlite runs no autovacuum, so rows that updates replaced were never
 * reclaimed: a run row updated on every batch (a foreach's parent) left a
 * chain of dead versions that each later lock of it walked, and a 100,000
 * fan-out slowed from 476 to 105 iterations/s. The client runs a plain
 * `VACUUM` itself every `vacuumEveryMs` (the first on a large database takes
 * about a second, later ones tens of milliseconds, during which other calls wait).
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
  private readonly statements: PreparedStatements;
  private readonly vacuumTimer: NodeJS.Timeout | undefined;
  private vacuuming: Promise<void> | undefined;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
    pglite: PGliteModule,
    options: PGliteSqlClientOptions,
  ) {
    this.statements = new PreparedStatements(db, pglite);
    const every = options.vacuumEveryMs ?? 10_000;
    if (every > 0) {
      const onError = options.onVacuumError ?? ((error) => console.warn('PGlite VACUUM failed', error));
      this.vacuumTimer = setInterval(() => this.vacuum(onError), every).unref();
    }
  }

  static async open(options: PGliteSqlClientOptions = {}): Promise<PGliteSqlClient> {
    const pglite = loadPGlite();
    const lock =
      options.dataDir === undefined || options.dataDirLocked
        ? undefined
        : DataDirLock.acquire(options.dataDir);
    try {
      const db = await pglite.PGlite.create(options.dataDir, {
        parsers: { [pglite.types.INT8]: parseInt8 },
      });
      return new PGliteSqlClient(db, lock, pglite, options);
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
    if (!params || params.length === 0) return exec<T>(this.db, sql);
    // The prepared path drives the session directly, so it needs the transaction mutex that
    // PGlite's own `query` takes; a one-statement transaction holds it (and is what autocommit does).
    return this.db.transaction(() => this.statements.query<T>(sql, params));
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    this.refuseReentry();
    return this.db.transaction(async (tx) => {
      const scope = new TransactionScope((sql, params) =>
        !params || params.length === 0 ? exec(tx, sql) : this.statements.query(sql, params),
      );
      try {
        return await this.insideTransaction.run(true, () => fn(scope));
      } finally {
        scope.end();
      }
    });
  }

  async close(): Promise<void> {
    clearInterval(this.vacuumTimer);
    await this.vacuuming;
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }

  /** One `VACUUM` at a time; it queues behind an open transaction like any call. */
  private vacuum(onError: (error: unknown) => void): void {
    if (this.vacuuming) return;
    this.vacuuming = exec(this.db, 'VACUUM')
      .then(() => undefined, onError)
      .finally(() => (this.vacuuming = undefined));
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
type PGliteModule = typeof import('@electric-sql/pglite');

function loadPGlite(): PGliteModule {
  const parent: unknown = Object.getPrototypeOf(Module);
  const createRequire =
    typeof parent === 'function' && 'createRequire' in parent
      ? (parent as typeof Module).createRequire
      : Module.createRequire;
  return createRequire(__filename)('@electric-sql/pglite') as PGliteModule;
}

/** A call without values: the simple protocol, which accepts several statements, like pg does. */
async function exec<T>(target: PGlite | Transaction, sql: string): Promise<T[]> {
  const results = await target.exec(sql);
  return (results[results.length - 1]?.rows ?? []) as T[];
}

/** More distinct statement texts than this, and the least recently used is closed. */
const MAX_PREPARED = 100;

interface Prepared {
  readonly name: string;
  /** Parameter type oids, as the server inferred them: they pick PGlite's serializers. */
  readonly paramTypes: readonly number[];
}

/**
 * Calls with values as named prepared statements of the one PGlite session,
 * one per distinct SQL text. PGlite's `query` parses, analyses and plans the
 * statement on every call, in six round trips into the WASM server; a
 * prepared statement is parsed once, its plan can be cached by the server,
 * and each call is one round trip (bind, describe, execute, sync). The
 * projector and the archiver run the same few dozen statement texts thousands
 * of times, so the parsing and planning was a large share of their cost
 * (docs/benchmarks.md, "Fix").
 *
 * Invariant: nothing else deallocates the session's statements (no
 * `DEALLOCATE`/`DISCARD ALL` through this client); the names are ours.
 *
 * Must run with PGlite's transaction mutex held (inside `db.transaction`):
 * it drives the session through `execProtocol`, which takes no lock. Each
 * call is one synchronous exchange, so calls cannot interleave. Prepared
 * statements belong to the session, not the transaction: a rollback keeps
 * them, and the server re-plans them itself after a schema change.
 */
class PreparedStatements {
  /** By SQL text, least recently used first. */
  private readonly byText = new Map<string, Prepared>();
  /** Statements to close, sent ahead of the next exchange. */
  private closing: string[] = [];
  private created = 0;

  constructor(
    private readonly db: PGlite,
    private readonly pglite: PGliteModule,
  ) {}

  async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const statement = this.byText.get(sql) ?? (await this.prepare(sql));
    this.byText.delete(sql);
    this.byText.set(sql, statement);
    const { serialize } = this.pglite.protocol;
    const values = params.map((value, i) => this.serialize(value, statement.paramTypes[i]));
    const { messages } = await this.db.execProtocol(
      concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return (this.pglite.parse.parseResults(messages, this.db.parsers)[0]?.rows ?? []) as T[];
  }

  private async prepare(sql: string): Promise<Prepared> {
    const { serialize } = this.pglite.protocol;
    const name = `baton_${++this.created}`;
    const closes = this.closing.map((old) => serialize.close({ type: 'S', name: old }));
    this.closing = [];
    const { messages } = await this.db.execProtocol(
      concat([
        ...closes,
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const prepared = { name, paramTypes: this.pglite.parse.parseDescribeStatementResults(messages) };
    if (this.byText.size >= MAX_PREPARED) {
      const [oldest, { name: evicted }] = this.byText.entries().next().value!;
      this.byText.delete(oldest);
      this.closing.push(evicted);
    }
    return prepared;
  }

  /** What PGlite's `query` sends for a value: its serializer for the parameter's type, else text. */
  private serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const safe = typeof value === 'object' ? crossRealmSafe(value) : value;
    const serializer = type === undefined ? undefined : this.db.serializers[type];
    return serializer ? serializer(safe) : String(safe);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/**
 * PGlite serializes a `Date` param only if it passes `instanceof Date` in
 * PGlite's realm, which a Jest test's Date does not (see `loadPGlite`). ISO
 * text is what it would send anyway.
 */
function crossRealmSafe(value: unknown): unknown {
  return Object.prototype.toString.call(value) === '[object Date]' ? (value as Date).toISOString() : value;
}
