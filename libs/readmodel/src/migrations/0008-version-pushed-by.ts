import type { Migration } from './migration';

/**
 * Who pushed each workflow version (the audit trail of the registry, which
 * is not on the log): the API principal's subject, `system:examples` for the
 * all-in-one's examples. NULL for versions pushed before this migration.
 */
export const versionPushedBySchema: Migration = {
  version: 8,
  name: 'version-pushed-by',
  sql: `
ALTER TABLE workflow_versions ADD COLUMN pushed_by text;
`,
};
