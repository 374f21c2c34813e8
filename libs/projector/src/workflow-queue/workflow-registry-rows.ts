import type {
  WorkflowCommandRejected,
  WorkflowCommandType,
  WorkflowPushUnchanged,
  WorkflowRegistryEvent,
  WorkflowVersionPushed,
} from '@baton/domain/workflow-queue';
import type { RegistryOutcome } from '@baton/readmodel';
import { jsonParam, type SqlClient } from '@baton/sql';

/** The commands whose answer the API waits for in `workflow_registry_outcomes`. */
const REGISTRY_COMMANDS: ReadonlySet<WorkflowCommandType> = new Set<WorkflowCommandType>([
  'PushWorkflowVersion',
  'ActivateWorkflowVersion',
  'DeactivateWorkflow',
]);

export function isRegistryRejection(event: WorkflowCommandRejected): boolean {
  return REGISTRY_COMMANDS.has(event.commandType);
}

/**
 * Folds registry events into `workflows` and `workflow_versions` (the
 * registry projection) and records each command's outcome, one event at a
 * time in seq order (registry events are rare: a push, not a run). Every
 * statement is idempotent, so a re-delivered event writes nothing new; rows
 * an older release wrote (the seeding republishes them) are kept as they are.
 */
export async function applyRegistryEvents(
  tx: SqlClient,
  events: readonly (WorkflowRegistryEvent | WorkflowCommandRejected)[],
): Promise<void> {
  for (const event of events) {
    const at = new Date(event.at);
    switch (event.type) {
      case 'WorkflowVersionPushed':
        await tx.query(
          `INSERT INTO workflows (workflow_id, latest_version, created_at, updated_at, from_log)
           VALUES ($1, 0, $2, $2, true)
           ON CONFLICT (workflow_id) DO UPDATE SET from_log = true`,
          [event.workflowId, at],
        );
        await tx.query(
          `INSERT INTO workflow_versions (workflow_id, version, definition, source, created_at, pushed_by)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6)
           ON CONFLICT (workflow_id, version) DO NOTHING`,
          [event.workflowId, event.version, jsonParam(event.definition), event.source, at, event.by ?? null],
        );
        await tx.query(
          `UPDATE workflows SET latest_version = GREATEST(latest_version, $2), active_version = $3, updated_at = $4
            WHERE workflow_id = $1`,
          [event.workflowId, event.version, event.activeVersion, at],
        );
        await outcome(tx, event, pushOutcome(event));
        break;
      case 'WorkflowPushUnchanged':
        await outcome(tx, event, pushOutcome(event));
        break;
      case 'WorkflowVersionActivated':
        await tx.query('UPDATE workflows SET active_version = $2, updated_at = $3 WHERE workflow_id = $1', [
          event.workflowId,
          event.version,
          at,
        ]);
        await outcome(tx, event, { type: event.type, version: event.version, activeVersion: event.version });
        break;
      case 'WorkflowDeactivated':
        if (event.previousVersion !== null) {
          await tx.query(
            'UPDATE workflows SET active_version = NULL, updated_at = $2 WHERE workflow_id = $1',
            [event.workflowId, at],
          );
        }
        await outcome(tx, event, { type: event.type, activeVersion: null });
        break;
      case 'WorkflowCommandRejected':
        await outcome(tx, event, { type: event.type, code: event.code, message: event.message });
        break;
      default:
        return assertNever(event);
    }
  }
}

function pushOutcome(event: WorkflowVersionPushed | WorkflowPushUnchanged): RegistryOutcome {
  return { type: event.type, version: event.version, activeVersion: event.activeVersion };
}

async function outcome(
  tx: SqlClient,
  event: { workflowId: string; commandId: string; at: number },
  value: RegistryOutcome,
): Promise<void> {
  await tx.query(
    `INSERT INTO workflow_registry_outcomes (command_id, workflow_id, outcome, decided_at)
     VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (command_id) DO NOTHING`,
    [event.commandId, event.workflowId, jsonParam(value), new Date(event.at)],
  );
}

function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
