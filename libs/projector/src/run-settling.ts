import { parentRunIdOf, type RunEvent } from '@baton/domain';
import type { SqlClient } from '@baton/sql';

/**
 * Read-after-terminal (issue 17, item 14): when the read model shows a run
 * `succeeded`, `failed` or `cancelled`, everything its end implies is
 * readable already: its own steps and outputs (folded in the same
 * transaction), every child run whose end it recorded (itself shown terminal,
 * so recursively complete), and the log tail of every attempt whose
 * executor's report said the tail was written (`logsWritten`).
 *
 * Those pieces reach the projector on other partitions (children are spread
 * over all of them) and another topic (`baton.step-logs`), in any order. So a
 * terminal event is folded into `runs.terminal_pending`, the row keeps its
 * last status, and one `run_awaits` row is written per piece not in yet.
 * Whichever transaction brings the last piece (a child's settling, a log
 * tail, a refused child start) deletes the await and settles the run: the
 * pending fields become the row's, and its own parent's await on it goes,
 * which may settle the parent in turn.
 *
 * Concurrency (several projector processes on PostgreSQL): every transaction
 * first takes transaction-scoped advisory locks on the runs it touches and
 * on all their ancestors (read from the child run ids), in one sorted
 * statement. A run's awaits and settling are then changed by one transaction
 * at a time, and "insert an await unless the child is already settled"
 * cannot miss a child settling concurrently; sorted keys mean no deadlock.
 * The cost: batches holding children of one parent serialise on it.
 *
 * Rebuilds write the same rows: nothing here reads a clock.
 */

/** What a batch of run events asks of settling. */
export interface SettlingWork {
  /** A parent recorded a child's end: it waits for the child to be shown terminal. */
  readonly childEnds: readonly { readonly runId: string; readonly childRunId: string }[];
  /** An attempt whose report promised its log tail. */
  readonly promisedLogs: readonly LogKey[];
  /** Child runs whose start was refused (events without a run row): they will never have a row. */
  readonly refusedChildren: readonly string[];
}

export interface LogKey {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
}

const TERMINAL = `('succeeded', 'failed', 'cancelled')`;

/** Pure: what `applied` (folded) and `withoutRun` (no run row) events ask of settling. */
export function settlingWork(applied: readonly RunEvent[], withoutRun: readonly RunEvent[]): SettlingWork {
  const childEnds: { runId: string; childRunId: string }[] = [];
  const promisedLogs: LogKey[] = [];
  for (const event of applied) {
    if (event.type === 'ChildRunEnded' && event.neverStarted !== true)
      childEnds.push({ runId: event.runId, childRunId: event.childRunId });
    else if ((event.type === 'StepSucceeded' || event.type === 'StepFailed') && event.logsWritten === true)
      promisedLogs.push({ runId: event.runId, stepId: event.stepId, attempt: event.attempt });
  }
  const refusedChildren = [
    ...new Set(withoutRun.map((e) => e.runId).filter((id) => parentRunIdOf(id) !== null)),
  ];
  return { childEnds, promisedLogs, refusedChildren };
}

/** The runs and all their ancestors, for `lockForSettling`. */
export function withAncestors(runIds: Iterable<string>): string[] {
  const all = new Set<string>();
  for (const runId of runIds) {
    for (let id: string | null = runId; id !== null && !all.has(id); id = parentRunIdOf(id)) all.add(id);
  }
  return [...all];
}

/** Advisory locks on `runIds` and their ancestors, sorted; held until the transaction ends. */
export async function lockForSettling(tx: SqlClient, runIds: Iterable<string>): Promise<void> {
  const ids = withAncestors(runIds);
  if (ids.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended('baton-run-settle:' || r, 0) AS k FROM unnest($1::text[]) AS r
     ) AS keys ORDER BY k`,
    [ids],
  );
}

/**
 * Records what the batch's runs wait for and settles every run it can:
 * `pending` (runs of the batch with a terminal status held back) and the
 * parents of refused children.
 */
export async function settleRunEvents(
  tx: SqlClient,
  work: SettlingWork,
  pending: readonly string[],
): Promise<void> {
  await awaitChildren(tx, work.childEnds);
  await awaitLogs(tx, work.promisedLogs);
  const freed =
    work.refusedChildren.length === 0
      ? []
      : await deletedAwaits(
          tx,
          `DELETE FROM run_awaits WHERE kind = 'child' AND ref = ANY($1::text[]) RETURNING run_id`,
          [work.refusedChildren],
        );
  await settle(tx, [...pending, ...freed]);
}

/** Log tails just stored: the runs waiting for them may settle. */
export async function settleLogs(tx: SqlClient, logs: readonly LogKey[]): Promise<void> {
  if (logs.length === 0) return;
  const freed = await deletedAwaits(
    tx,
    `DELETE FROM run_awaits a USING unnest($1::text[], $2::text[]) AS k(run_id, ref)
      WHERE a.run_id = k.run_id AND a.kind = 'logs' AND a.ref = k.ref
      RETURNING a.run_id`,
    [logs.map((l) => l.runId), logs.map(logRef)],
  );
  await settle(tx, freed);
}

/**
 * An ended child is awaited unless it is settled already, or its start was
 * refused (events of it are stored but it has no row, and never will).
 */
async function awaitChildren(
  tx: SqlClient,
  ends: readonly { readonly runId: string; readonly childRunId: string }[],
): Promise<void> {
  if (ends.length === 0) return;
  await tx.query(
    `INSERT INTO run_awaits (run_id, kind, ref)
     SELECT k.run_id, 'child', k.child FROM unnest($1::text[], $2::text[]) AS k(run_id, child)
      WHERE NOT EXISTS (SELECT 1 FROM runs c
                         WHERE c.run_id = k.child AND c.terminal_pending IS NULL AND c.status IN ${TERMINAL})
        AND (EXISTS (SELECT 1 FROM runs c WHERE c.run_id = k.child)
             OR NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = k.child))
     ON CONFLICT DO NOTHING`,
    [ends.map((e) => e.runId), ends.map((e) => e.childRunId)],
  );
}

async function awaitLogs(tx: SqlClient, logs: readonly LogKey[]): Promise<void> {
  if (logs.length === 0) return;
  await tx.query(
    `INSERT INTO run_awaits (run_id, kind, ref)
     SELECT k.run_id, 'logs', k.attempt || ':' || k.step_id
       FROM unnest($1::text[], $2::text[], $3::integer[]) AS k(run_id, step_id, attempt)
      WHERE NOT EXISTS (SELECT 1 FROM step_logs l
                         WHERE l.run_id = k.run_id AND l.step_id = k.step_id AND l.attempt = k.attempt)
     ON CONFLICT DO NOTHING`,
    [logs.map((l) => l.runId), logs.map((l) => l.stepId), logs.map((l) => l.attempt)],
  );
}

/**
 * Shows the terminal status of every candidate that waits for nothing more,
 * then lets their parents go on: one statement per level of nesting.
 */
async function settle(tx: SqlClient, candidates: readonly string[]): Promise<void> {
  let next = [...new Set(candidates)];
  while (next.length > 0) {
    next = await deletedAwaits(
      tx,
      `WITH settled AS (
         UPDATE runs r SET
           status = r.terminal_pending->>'status',
           ended_at = (r.terminal_pending->>'endedAt')::timestamptz,
           failure_reason = r.terminal_pending->>'failureReason',
           failure_step_id = r.terminal_pending->>'failureStepId',
           failure_message = r.terminal_pending->>'failureMessage',
           terminal_pending = NULL
          WHERE r.run_id = ANY($1::text[]) AND r.terminal_pending IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM run_awaits a WHERE a.run_id = r.run_id)
          RETURNING r.run_id
       )
       DELETE FROM run_awaits a USING settled WHERE a.kind = 'child' AND a.ref = settled.run_id
       RETURNING a.run_id`,
      [next],
    );
  }
}

async function deletedAwaits(tx: SqlClient, sql: string, params: unknown[]): Promise<string[]> {
  const rows = await tx.query<{ run_id: string }>(sql, params);
  return [...new Set(rows.map((row) => row.run_id))];
}

/** `<attempt>:<step id>`: the attempt first, so no step id character can make two refs equal. */
function logRef(key: LogKey): string {
  return `${key.attempt}:${key.stepId}`;
}
