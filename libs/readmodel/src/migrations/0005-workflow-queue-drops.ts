import type { Migration } from './migration';

/**
 * The requests a workflow's run strategy dropped (`RunRequestDropped` on
 * `baton.workflow-events`): a first_only request that arrived while a run was
 * running or waiting, a last_only one a newer request superseded. The API
 * answered 202 with a run id for each, and that run never starts: this table
 * lets `GET /runs/{id}` say so (410) and the queue view list the latest drops.
 *
 * - Written by the queue projector in the batch transaction that moves
 *   `workflow_queue_status.last_seq`, so each drop is written once;
 *   `ON CONFLICT DO NOTHING` on the key keeps a re-delivered batch harmless
 *   anyway, like `workflow_queue_runs`.
 * - Keyed by (workflow, the event's seq): the seq orders the drops of a
 *   workflow, newest first for the queue view. A run id is unique across
 *   workflows (derived from workflow and request), and looked up by its own index.
 * - A request dropped as a `duplicate` is not a row: the run was already
 *   decided (started, queued or dropped) and that decision is its record.
 * - `reason` is text without CHECK, like the statuses: the projector writes
 *   the domain's literals, and a new reason must not need a migration.
 * - Kept like runs are (no retention): a dropped run id answers 410 for good.
 */
export const workflowQueueDropsSchema: Migration = {
  version: 5,
  name: 'workflow-queue-drops',
  sql: `
CREATE TABLE workflow_queue_drops (
  workflow_id  text NOT NULL,
  -- The seq of the RunRequestDropped event.
  seq          bigint NOT NULL,
  run_id       text NOT NULL,
  request_id   text NOT NULL,
  reason       text NOT NULL,
  -- The event's time.
  dropped_at   timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, seq)
);

CREATE INDEX workflow_queue_drops_run_idx ON workflow_queue_drops (run_id);
`,
};
