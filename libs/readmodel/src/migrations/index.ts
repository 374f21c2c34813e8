import { initialSchema } from './0001-initial';
import { workflowQueueSchema } from './0003-workflow-queue';
import { childRunsSchema } from './0004-child-runs';
import { workflowQueueDropsSchema } from './0005-workflow-queue-drops';
import { queuedRunParamsSchema } from './0006-queued-run-params';
import { attemptRunAttemptSchema } from './0007-attempt-run-attempt';
import { versionPushedBySchema } from './0008-version-pushed-by';
import { runSettlingSchema } from './0009-run-settling';
import { registryProjectionSchema } from './0010-registry-projection';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  workflowQueueSchema,
  childRunsSchema,
  workflowQueueDropsSchema,
  queuedRunParamsSchema,
  attemptRunAttemptSchema,
  versionPushedBySchema,
  runSettlingSchema,
  registryProjectionSchema,
];
