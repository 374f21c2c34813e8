import type { Migration } from './migration';

/**
 * Child runs, run attempts and the new step states in the run tables.
 *
 * - A foreach or while iteration, or a subworkflow, is a run of its own with
 *   a parent link (`RunStarted.parent`): `parent_*` and `depth` (0 for a
 *   top-level run). A foreach of 100,000 iterations is 100,000 run rows and
 *   nothing per iteration on the parent: the parent step only keeps counters.
 * - `run_attempt` counts `RunRestarted` (1 for a run never restarted). The
 *   attempts of the steps keep counting across run attempts, so every
 *   `step_attempts` row of every run attempt stays.
 * - `stop_reason`: set by `RunStopping` (nothing new starts, the run ends
 *   cancelled once no step is active), cleared by `RunRestarted`.
 * - `breakpoints`: the steps the run pauses before (`StepPaused`).
 * - `loop_*`: a foreach, while or subworkflow step's child-run counters
 *   (`LoopProgress`) as of its last event, NULL for other steps;
 *   `loop_total` is also NULL for a while loop (unknown in advance).
 * - `wait_signal`: the signal a wait_for_signal step waits for.
 * - `skip_message`: who or why, for a step skipped by a user.
 *
 * Lists: the runs list shows top-level runs unless asked for children, so
 * its three orders get partial indexes on top-level runs (the full ones,
 * kept, serve listings with children); the children of a run are listed by
 * step, attempt and iteration index.
 */
export const childRunsSchema: Migration = {
  version: 4,
  name: 'child-runs',
  sql: `
ALTER TABLE runs
  ADD COLUMN run_attempt     integer NOT NULL DEFAULT 1,
  ADD COLUMN parent_run_id   text,
  ADD COLUMN parent_step_id  text,
  ADD COLUMN parent_attempt  integer,
  ADD COLUMN parent_index    integer,
  ADD COLUMN depth           integer NOT NULL DEFAULT 0,
  ADD COLUMN breakpoints     jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN stop_reason     text;

ALTER TABLE steps
  ADD COLUMN skip_message    text,
  ADD COLUMN wait_signal     text,
  ADD COLUMN loop_total      integer,
  ADD COLUMN loop_started    integer,
  ADD COLUMN loop_running    integer,
  ADD COLUMN loop_succeeded  integer,
  ADD COLUMN loop_failed     integer,
  ADD COLUMN loop_cancelled  integer;

CREATE INDEX runs_children_idx ON runs (parent_run_id, parent_step_id, parent_attempt, parent_index, run_id)
  WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_top_created_idx ON runs (created_at DESC, run_id DESC)
  WHERE parent_run_id IS NULL;
CREATE INDEX runs_top_workflow_created_idx ON runs (workflow_id, created_at DESC, run_id DESC)
  WHERE parent_run_id IS NULL;
CREATE INDEX runs_top_status_created_idx ON runs (status, created_at DESC, run_id DESC)
  WHERE parent_run_id IS NULL;
`,
};
