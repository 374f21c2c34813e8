import { evolveWorkflowQueue } from './workflow-queue.evolve';
import type { WorkflowEvent } from './workflow-queue.events';
import { initialWorkflowQueueState, type WorkflowQueueState } from './workflow-queue.state';

/** A workflow queue's state from its history; the single writer's live state must always equal this. */
export function replayWorkflowQueue(events: readonly WorkflowEvent[]): WorkflowQueueState {
  return events.reduce(evolveWorkflowQueue, initialWorkflowQueueState());
}
