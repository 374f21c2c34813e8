import type { Migration } from './migration';

/**
 * The workflow registry became a projection of the workflow-keyed log
 * (`WorkflowVersionPushed`, `WorkflowVersionActivated`, ... on
 * `baton.workflow-events`, folded by the workflow queue projector):
 *
 * - `workflows.from_log`: true once the projector wrote the row from events.
 *   Rows of an older release (written by the API directly) are false: the
 *   one-time seeding publishes their versions as commands (docs/events.md).
 * - `workflow_registry_outcomes`: the answer to each registry command by its
 *   command id (the event that answered it, or its rejection), which the API
 *   waits for before it replies.
 */
export const registryProjectionSchema: Migration = {
  version: 10,
  name: 'registry-projection',
  sql: `
ALTER TABLE workflows ADD COLUMN from_log boolean NOT NULL DEFAULT false;

CREATE TABLE workflow_registry_outcomes (
  command_id   text PRIMARY KEY,
  workflow_id  text NOT NULL,
  outcome      jsonb NOT NULL,
  decided_at   timestamptz NOT NULL
);
`,
};
