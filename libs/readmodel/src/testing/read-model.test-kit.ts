import type { WorkflowDefinitionDraft } from '../workflow-registry';
import { jsonParam, type SqlClient } from '@baton/sql';

/** What an adapter's spec hands the contract suite. */
export interface SqlHarness {
  /**
   * A client on a fresh, empty, never-migrated database, plus a way to open a
   * second client on the same database (another process, as far as the
   * database can tell) where the store allows several connections.
   */
  openFresh(): Promise<FreshDatabase>;
  /** PGlite: one connection, callers queue. PostgreSQL: a pool, callers run side by side. */
  readonly singleConnection: boolean;
  /** Drops what `openFresh` created; called once after the suite. */
  dispose(): Promise<void>;
}

export interface FreshDatabase {
  readonly sql: SqlClient;
  /** Absent for single-connection stores. */
  openPeer?(): Promise<SqlClient>;
}

export function draft(id: string, overrides: Partial<WorkflowDefinitionDraft> = {}): WorkflowDefinitionDraft {
  return {
    id,
    name: `Workflow ${id}`,
    description: 'made by the contract suite',
    tags: ['test'],
    params: [{ name: 'day', type: 'string', required: false, default: '2024-01-01' }],
    runStrategy: { kind: 'parallel', maxConcurrent: 4 },
    steps: [
      {
        id: 'extract',
        type: 'shell',
        command: ['sh', '-c', 'echo "$DAY"'],
        env: {},
        params: { DAY: { expression: 'params.day' } },
        retry: {
          userErrorLimit: 2,
          platformErrorLimit: 5,
          timeoutLimit: 0,
          backoff: { kind: 'fixed', delayMs: 1000 },
        },
        failureMode: 'fail_immediately',
        outputs: {},
        pool: 'default',
      },
      {
        id: 'done',
        type: 'noop',
        params: {},
        retry: {
          userErrorLimit: 0,
          platformErrorLimit: 0,
          timeoutLimit: 0,
          backoff: { kind: 'fixed', delayMs: 0 },
        },
        failureMode: 'fail_immediately',
        outputs: {},
        pool: 'default',
      },
    ],
    edges: [{ from: 'extract', to: 'done' }],
    ...overrides,
  };
}

export interface RunFixture {
  readonly runId: string;
  readonly workflowId: string;
  readonly status?: string;
  /** A Date, or timestamptz text when microseconds matter. */
  readonly createdAt: Date | string;
  readonly lastSeq?: number;
}

/** Stands in for the projector, which is written later: plain inserts. */
export async function insertRun(sql: SqlClient, run: RunFixture): Promise<void> {
  await sql.query(
    `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at)
     VALUES ($1, $2, 1, $3, $4::jsonb, $5, $6::timestamptz, $7, now())`,
    [
      run.runId,
      run.workflowId,
      run.status ?? 'running',
      jsonParam({ day: '2024-01-01' }),
      `req-${run.runId}`,
      run.createdAt,
      run.lastSeq ?? 1,
    ],
  );
}

let counter = 0;
/** Ids unique within the process, so tests sharing a database never collide. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}
