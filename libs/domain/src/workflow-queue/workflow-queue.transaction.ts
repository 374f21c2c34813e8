import { evolveWorkflowQueue } from './workflow-queue.evolve';
import {
  WORKFLOW_EVENT_SCHEMA_VERSION,
  type WorkflowEvent,
  type WorkflowEventDraft,
} from './workflow-queue.events';
import type { WorkflowQueueState } from './workflow-queue.state';

/**
 * The events one workflow command produces, each applied as it is emitted so
 * a handler's later steps see the state its earlier events made. Never
 * mutates a state: `evolveWorkflowQueue` returns new ones and the transaction
 * only moves its pointer. Discarded when the command is rejected.
 */
export class WorkflowTransaction {
  private current: WorkflowQueueState;
  private readonly written: WorkflowEvent[] = [];

  constructor(
    state: WorkflowQueueState,
    private readonly workflowId: string,
    /** The command's time; every event of this command carries it. */
    readonly at: number,
    /** The command's `metadata.by`: every event of this command carries it (the audit trail). */
    readonly by?: string,
  ) {
    this.current = state;
  }

  get state(): WorkflowQueueState {
    return this.current;
  }

  get events(): readonly WorkflowEvent[] {
    return this.written;
  }

  emit(draft: WorkflowEventDraft): void {
    const event = {
      ...draft,
      workflowId: this.workflowId,
      seq: this.current.lastSeq + 1,
      schemaVersion: WORKFLOW_EVENT_SCHEMA_VERSION,
      at: this.at,
      // Only written when known, so the events of platform commands keep their shape.
      ...(this.by === undefined ? {} : { by: this.by }),
    } as WorkflowEvent;
    this.current = evolveWorkflowQueue(this.current, event);
    this.written.push(event);
  }
}
