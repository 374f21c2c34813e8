import type { WorkflowEvent, WorkflowQueueState } from '@baton/domain/workflow-queue';
import {
  Topics,
  workflowHeadKey,
  workflowVersionKey,
  type WorkflowHeadRecord,
  type WorkflowVersionRecord,
} from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';

/**
 * What one command's registry events put on `baton.workflow-definitions`:
 * each pushed version's definition, then the workflow's head as the command
 * left it (`after`), once. Nothing for a command that touched no registry
 * event, nor for an unchanged push (the head is what it was).
 */
export function catalogRecordsFor(
  events: readonly WorkflowEvent[],
  after: WorkflowQueueState,
): OutgoingRecord[] {
  const records: OutgoingRecord[] = [];
  let headChanged = false;
  for (const event of events) {
    if (event.type === 'WorkflowVersionPushed') {
      const value: WorkflowVersionRecord = {
        kind: 'version',
        workflowId: event.workflowId,
        version: event.version,
        definition: event.definition,
        pushedAt: event.at,
      };
      records.push({
        topic: Topics.workflowDefinitions,
        key: workflowVersionKey(event.workflowId, event.version),
        value: JSON.stringify(value),
      });
    }
    if (event.type === 'WorkflowVersionPushed' || event.type === 'WorkflowVersionActivated')
      headChanged = true;
    if (event.type === 'WorkflowDeactivated' && event.previousVersion !== null) headChanged = true;
  }
  const last = events[events.length - 1];
  if (headChanged && last !== undefined) {
    const head: WorkflowHeadRecord = {
      kind: 'head',
      workflowId: last.workflowId,
      latestVersion: after.latestVersion,
      activeVersion: after.activeVersion,
      updatedAt: after.registryUpdatedAt,
    };
    records.push({
      topic: Topics.workflowDefinitions,
      key: workflowHeadKey(last.workflowId),
      value: JSON.stringify(head),
    });
  }
  return records;
}
