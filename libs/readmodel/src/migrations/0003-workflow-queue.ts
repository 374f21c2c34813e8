import type { Migration } from './migration';

/**
 * The workflow queue's read model, folded from `baton.workflow-events` by the
 * queue projector (libs/projector/src/workflow-queue):
 * - `workflow_queue_status`: one row per workflow the queue has events for;
 * - `workflow_queue_runs`: the runs waiting to start, in FIFO order.
 *
 * Idempotent like the run tables: events of a workflow carry seq 1, 2, 3...
 * with no gaps; the projector applies an event only when `seq >
 * workflow_queue_status.last_seq` (the row read `FOR UPDATE` in its batch
 * transaction). A waiting run's `position` is the seq of its `RunQueued`
 * event, so ordering by it is the queue's order.
 *
 * No foreign key to `workflows`: like runs, the log is the source, and the
 * projection rebuilds from it.
 */
export const workflowQueueSchema: Migration = {
  version: 3,
  name: 'workflow-queue',
  sql: `
CREATE TABLE workflow_queue_status (
  workflow_id      text PRIMARY KEY,
  -- The strategy of the latest request's version (RunStrategy JSON); NULL before the first request.
  run_strategy     jsonb,
  paused           boolean NOT NULL DEFAULT false,
  -- strict_sequential: the failed run that blocks new starts; NULL when not blocked.
  blocked_by       text,
  -- Runs the queue started that have not ended, oldest first (JSON array of run ids).
  running_run_ids  jsonb NOT NULL DEFAULT '[]'::jsonb,
  running_count    integer NOT NULL DEFAULT 0,
  -- Step ids every run started from now on pauses before (JSON array).
  breakpoints      jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The highest per-workflow event seq already applied.
  last_seq         bigint NOT NULL,
  updated_at       timestamptz NOT NULL
);

CREATE TABLE workflow_queue_runs (
  workflow_id  text NOT NULL,
  run_id       text NOT NULL,
  request_id   text NOT NULL,
  -- The seq of the RunQueued event: the FIFO order within the workflow.
  position     bigint NOT NULL,
  -- The version the run will start with.
  version      integer NOT NULL,
  queued_at    timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, run_id)
);

CREATE UNIQUE INDEX workflow_queue_runs_order_idx ON workflow_queue_runs (workflow_id, position);
`,
};
