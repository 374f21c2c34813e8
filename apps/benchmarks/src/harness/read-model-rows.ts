import { join } from 'node:path';
import { Client } from 'pg';
import { PGliteSqlClient } from '@baton/sql';
import { kafkaEndpoints, type Stack } from './stack';

/** Rows in the read model's tables (and the archive's, which lives in the same database). */
export interface ReadModelRows {
  readonly runsOfWorkflow: number;
  readonly runs: number;
  readonly steps: number;
  readonly stepAttempts: number;
  readonly runEvents: number;
  readonly archiveEvents: number;
}

/**
 * Counts the rows straight from the database with SQL, since the API lists
 * runs but has no count of steps or events. Embedded: PGlite is one process's
 * at a time, so the stack must be stopped first; Kafka: PostgreSQL, at any time.
 */
export async function countReadModelRows(stack: Stack, workflowId: string): Promise<ReadModelRows> {
  const count = async (query: (sql: string, params: unknown[]) => Promise<{ n: number }[]>) => {
    const one = async (sql: string, params: unknown[] = []): Promise<number> =>
      Number((await query(sql, params))[0]?.n ?? Number.NaN);
    return {
      runsOfWorkflow: await one('SELECT count(*) AS n FROM runs WHERE workflow_id = $1', [workflowId]),
      runs: await one('SELECT count(*) AS n FROM runs'),
      steps: await one('SELECT count(*) AS n FROM steps'),
      stepAttempts: await one('SELECT count(*) AS n FROM step_attempts'),
      runEvents: await one('SELECT count(*) AS n FROM run_events'),
      archiveEvents: await one('SELECT count(*) AS n FROM archive_events'),
    };
  };
  if (stack.options.target === 'kafka') {
    const client = new Client({ connectionString: kafkaEndpoints().databaseUrl });
    await client.connect();
    try {
      return await count(async (sql, params) => (await client.query<{ n: number }>(sql, params)).rows);
    } finally {
      await client.end();
    }
  }
  const dataDir = String(stack.service('baton').spec.env.BATON_DATA_DIR);
  const sql = await PGliteSqlClient.open({ dataDir: join(dataDir, 'db') });
  try {
    return await count((text, params) => sql.query<{ n: number }>(text, params));
  } finally {
    await sql.close();
  }
}
