import type { WorkflowDefinition } from '../../workflow/workflow-definition';
import type {
  ActivateWorkflowVersion,
  DeactivateWorkflow,
  PushWorkflowVersion,
  WorkflowDefinitionDraft,
} from '../workflow-queue.commands';
import { workflowRejection } from '../workflow-queue.errors';
import type { WorkflowCommandHandler } from '../workflow-queue.handler';

/**
 * The registry's handlers: the workflow's single writer numbers versions and
 * keeps the active one, so two pushes at once never get the same number and
 * admission never sees an active version that was not pushed. Each accepted
 * command emits exactly one event, its answer.
 */
export const pushWorkflowVersion: WorkflowCommandHandler<PushWorkflowVersion> = (command, tx) => {
  const { latestVersion: latest, activeVersion: active, latestDefinition } = tx.state;
  const { commandId } = command.metadata;
  if (command.expectedVersion !== undefined && command.expectedVersion !== latest + 1) {
    return workflowRejection(
      'VersionConflict',
      `version ${command.expectedVersion} cannot be pushed: the workflow has ${latest} version(s)`,
    );
  }
  if (command.expectedVersion === undefined && latestDefinition !== null) {
    if (sameDefinition(latestDefinition, command.definition)) {
      if (command.activate && active !== latest) {
        tx.emit({ type: 'WorkflowVersionActivated', commandId, version: latest });
      } else {
        tx.emit({ type: 'WorkflowPushUnchanged', commandId, version: latest, activeVersion: active });
      }
      return null;
    }
  }
  const version = latest + 1;
  const definition: WorkflowDefinition = { ...command.definition, version };
  tx.emit({
    type: 'WorkflowVersionPushed',
    commandId,
    version,
    definition,
    source: command.source,
    activeVersion: command.activate || latest === 0 ? version : active,
  });
  return null;
};

export const activateWorkflowVersion: WorkflowCommandHandler<ActivateWorkflowVersion> = (command, tx) => {
  const { latestVersion } = tx.state;
  if (latestVersion === 0) return notFound(command.workflowId);
  // Versions are 1..latestVersion with no gaps, so this is "was it pushed".
  if (!Number.isInteger(command.version) || command.version < 1 || command.version > latestVersion) {
    return workflowRejection(
      'WorkflowVersionNotFound',
      `workflow "${command.workflowId}" has no version ${command.version}`,
    );
  }
  tx.emit({
    type: 'WorkflowVersionActivated',
    commandId: command.metadata.commandId,
    version: command.version,
  });
  return null;
};

export const deactivateWorkflow: WorkflowCommandHandler<DeactivateWorkflow> = (command, tx) => {
  if (tx.state.latestVersion === 0) return notFound(command.workflowId);
  tx.emit({
    type: 'WorkflowDeactivated',
    commandId: command.metadata.commandId,
    previousVersion: tx.state.activeVersion,
  });
  return null;
};

function notFound(workflowId: string) {
  return workflowRejection('WorkflowNotFound', `workflow "${workflowId}" does not exist; push it first`);
}

/**
 * Whether a pushed draft is the latest version again: equal as JSON values,
 * object keys in any order, the `version` ignored (what the SQL registry's
 * jsonb comparison meant, so re-pushing a reformatted file stays a no-op).
 */
export function sameDefinition(latest: WorkflowDefinition, draft: WorkflowDefinitionDraft): boolean {
  const { version: _latest, ...a } = latest;
  const { version: _draft, ...b } = draft;
  return sameJson(a, b);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i]));
  }
  // Keys holding undefined are absent in JSON.
  const entries = (value: object) => Object.entries(value).filter(([, item]) => item !== undefined);
  const left = entries(a);
  const right = new Map(entries(b));
  return (
    left.length === right.size &&
    left.every(([key, item]) => right.has(key) && sameJson(item, right.get(key)))
  );
}
