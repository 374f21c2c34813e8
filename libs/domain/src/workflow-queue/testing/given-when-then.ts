import type { WorkflowCommand } from '../workflow-queue.commands';
import { decideWorkflowCommand } from '../workflow-queue.decide';
import type { WorkflowRejectionCode } from '../workflow-queue.errors';
import { evolveWorkflowQueue } from '../workflow-queue.evolve';
import {
  WORKFLOW_EVENT_SCHEMA_VERSION,
  type WorkflowEvent,
  type WorkflowEventDraft,
} from '../workflow-queue.events';
import { initialWorkflowQueueState, type WorkflowQueueState } from '../workflow-queue.state';

/**
 * Workflow queue specifications: `given(...commands).when(command).then(events)`.
 * The history is decided in order and every command of it must be accepted;
 * `then` takes the expected events without their envelope and checks the
 * full events (workflowId, seq continuing the history, schemaVersion, `at`).
 */
export interface QueueSpecification {
  when(command: WorkflowCommand): QueueOutcome;
  readonly state: WorkflowQueueState;
}

export interface QueueOutcome {
  /** Exactly these events, in this order. */
  then(...expected: WorkflowEventDraft[]): QueueOutcome;
  /** One `WorkflowCommandRejected` with this code, and the state untouched apart from the seq. */
  thenRejected(code: WorkflowRejectionCode): QueueOutcome;
  readonly events: readonly WorkflowEvent[];
  readonly after: WorkflowQueueState;
}

export function given(...history: WorkflowCommand[]): QueueSpecification {
  let state = initialWorkflowQueueState();
  for (const command of history) {
    const events = decideWorkflowCommand(command, state);
    const refused = events.find((e) => e.type === 'WorkflowCommandRejected');
    if (refused !== undefined)
      throw new Error(`history command ${command.type} refused: ${JSON.stringify(refused)}`);
    state = events.reduce(evolveWorkflowQueue, state);
  }
  return specification(state);
}

function specification(state: WorkflowQueueState): QueueSpecification {
  return {
    state,
    when(command) {
      const events = decideWorkflowCommand(command, state);
      const after = events.reduce(evolveWorkflowQueue, state);
      const outcome: QueueOutcome = {
        events,
        after,
        then(...expected) {
          expect(events).toEqual(
            expected.map((draft, i) => ({
              ...draft,
              workflowId: command.workflowId,
              seq: state.lastSeq + 1 + i,
              schemaVersion: WORKFLOW_EVENT_SCHEMA_VERSION,
              at: command.metadata.at,
            })),
          );
          return outcome;
        },
        thenRejected(code) {
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({
            type: 'WorkflowCommandRejected',
            code,
            commandType: command.type,
            commandId: command.metadata.commandId,
          });
          expect(after).toEqual({ ...state, lastSeq: state.lastSeq + 1 });
          return outcome;
        },
      };
      return outcome;
    },
  };
}
