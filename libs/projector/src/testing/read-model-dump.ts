import type { SqlClient } from '@baton/sql';

/**
 * Every row of the run tables (all columns, times as ISO text), in key order;
 * restricted to some runs when `runIds` is given. Two dumps are equal exactly
 * when the projections are.
 */
export async function dumpRunTables(
  sql: SqlClient,
  runIds?: readonly string[],
): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    runs: 'run_id',
    steps: 'run_id, step_id',
    step_attempts: 'run_id, step_id, attempt',
    run_events: 'run_id, seq',
    step_logs: 'run_id, step_id, attempt',
  };
  const dump: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const where = runIds === undefined ? '' : 'WHERE run_id IN (SELECT jsonb_array_elements_text($1::jsonb))';
    // row_to_json renders every column as JSON text (timestamps in ISO), comparable across adapters.
    const rows = await sql.query<{ row: unknown }>(
      `SELECT row_to_json(t) AS row FROM ${table} t ${where} ORDER BY ${order}`,
      runIds === undefined ? [] : [JSON.stringify(runIds)],
    );
    dump[table] = rows.map((r) => r.row);
  }
  return dump;
}

/** Every row of the workflow-queue tables of `workflowIds` (all columns, times as ISO text), in key order. */
export async function dumpWorkflowQueueTables(
  sql: SqlClient,
  workflowIds: readonly string[],
): Promise<Record<string, unknown[]>> {
  const tables: Record<string, string> = {
    workflow_queue_status: 'workflow_id',
    workflow_queue_runs: 'workflow_id, position',
    workflow_queue_drops: 'workflow_id, seq',
  };
  const dump: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const rows = await sql.query<{ row: unknown }>(
      `SELECT row_to_json(t) AS row FROM ${table} t
       WHERE workflow_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY ${order}`,
      [JSON.stringify(workflowIds)],
    );
    dump[table] = rows.map((r) => r.row);
  }
  return dump;
}
