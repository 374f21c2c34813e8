import type { Migration } from './migration';

/**
 * A run's terminal status is shown only once what it implies is readable
 * (libs/projector/src/run-settling.ts):
 *
 * - `runs.terminal_pending`: the terminal fields (status, ended_at, failure_*)
 *   of a `RunSucceeded` / `RunFailed` / `RunCancelled` already folded, held
 *   back while something it waits for is not projected yet; the row keeps
 *   its last non-terminal status meanwhile. NULL otherwise.
 * - `run_awaits`: what a run's terminal status waits for: `child` (ref = the
 *   child run id) for each child whose end the run recorded (`ChildRunEnded`)
 *   until that child is shown terminal itself; `logs` (ref =
 *   `<attempt>:<step id>`) for each attempt whose report said its log tail
 *   was written (`logsWritten`) until that tail is in `step_logs`.
 *   Rows are deleted as the awaited pieces arrive.
 */
export const runSettlingSchema: Migration = {
  version: 9,
  name: 'run-settling',
  sql: `
ALTER TABLE runs ADD COLUMN terminal_pending jsonb;

CREATE TABLE run_awaits (
  run_id  text NOT NULL,
  kind    text NOT NULL,
  ref     text NOT NULL,
  PRIMARY KEY (run_id, kind, ref)
);
-- A child that becomes terminal finds the awaits naming it.
CREATE INDEX run_awaits_ref_idx ON run_awaits (kind, ref);
`,
};
