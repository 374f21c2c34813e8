import type { Migration } from './migration';

/**
 * Which run attempt each step attempt belongs to: step attempt numbers keep
 * counting across restarts, so without it a restarted run's history could
 * not tell the attempts of one run attempt from another's.
 *
 * NULL for rows projected before this migration; `npm run rebuild-read-model`
 * (or `rebuild-from-archive`) fills them in.
 */
export const attemptRunAttemptSchema: Migration = {
  version: 7,
  name: 'attempt-run-attempt',
  sql: `
ALTER TABLE step_attempts ADD COLUMN run_attempt integer;
`,
};
