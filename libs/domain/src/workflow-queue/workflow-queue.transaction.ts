import { EventTransaction, sequencedStamp } from '../decider';
import { evolveWorkflowQueue } from './workflow-queue.evolve';
import {
  WORKFLOW_EVENT_SCHEMA_VERSION,
  type WorkflowEvent,
  type WorkflowEventDraft,
} from './workflow-queue.events';
import type { WorkflowQueueState } from './workflow-queue.state';

/**
 * The events one workflow command produces (see `EventTransaction`):
 * numbered from the queue's `lastSeq`, stamped with the command's time and
 * author, and applied by `evolveWorkflowQueue` as they are emitted.
 * Discarded when the command is rejected.
 */
export class WorkflowTransaction extends EventTransaction<
  WorkflowQueueState,
  WorkflowEvent,
  WorkflowEventDraft
> {
  constructor(
    state: WorkflowQueueState,
    workflowId: string,
    /** The command's time; every event of this command carries it. */
    readonly at: number,
    /** The command's `metadata.by`: every event of this command carries it (the audit trail). */
    readonly by?: string,
  ) {
    super(state, {
      stamp: sequencedStamp<WorkflowQueueState, WorkflowEvent, WorkflowEventDraft, 'workflowId'>({
        keyField: 'workflowId',
        key: workflowId,
        schemaVersion: WORKFLOW_EVENT_SCHEMA_VERSION,
        at,
        ...(by === undefined ? {} : { by }),
      }),
      evolve: evolveWorkflowQueue,
    });
  }
}
