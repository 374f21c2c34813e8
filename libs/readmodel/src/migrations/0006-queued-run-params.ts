import type { Migration } from './migration';

/**
 * `GET /runs/{id}` of a run waiting in its workflow's queue answers it as
 * `queued` (it used to be a 404 "not projected yet" for as long as it
 * waited), with the params it will start with.
 *
 * - `params`: the run's params from its `RunQueued` event; NULL for a run
 *   queued before this migration (the API then shows `{}`).
 * - The index finds a queued run by id alone, as `workflow_queue_drops_run_idx` does a dropped one.
 */
export const queuedRunParamsSchema: Migration = {
  version: 6,
  name: 'queued-run-params',
  sql: `
ALTER TABLE workflow_queue_runs ADD COLUMN params jsonb;

CREATE INDEX workflow_queue_runs_run_idx ON workflow_queue_runs (run_id);
`,
};
