import { requestRun } from './handlers/request-run.handler';
import { runEnded } from './handlers/run-ended.handler';
import {
  cancelQueuedRun,
  pauseWorkflow,
  resumeWorkflow,
  setWorkflowBreakpoints,
  unblockWorkflow,
} from './handlers/workflow-controls.handler';
import { tableDecider, type Decision, type HandlerTable } from '../decider';
import type { WorkflowCommand } from './workflow-queue.commands';
import type { WorkflowRejection } from './workflow-queue.errors';
import type { WorkflowEvent, WorkflowEventDraft } from './workflow-queue.events';
import {
  activateWorkflowVersion,
  deactivateWorkflow,
  pushWorkflowVersion,
} from './handlers/workflow-versions.handler';
import type { WorkflowQueueState } from './workflow-queue.state';
import { WorkflowTransaction } from './workflow-queue.transaction';

/** One handler per command type; adding a command type without a handler does not compile. */
const HANDLERS: HandlerTable<WorkflowCommand, WorkflowTransaction, void, WorkflowRejection> = {
  PushWorkflowVersion: pushWorkflowVersion,
  ActivateWorkflowVersion: activateWorkflowVersion,
  DeactivateWorkflow: deactivateWorkflow,
  RequestRun: requestRun,
  RunEnded: runEnded,
  PauseWorkflow: pauseWorkflow,
  ResumeWorkflow: resumeWorkflow,
  UnblockWorkflow: unblockWorkflow,
  SetWorkflowBreakpoints: setWorkflowBreakpoints,
  CancelQueuedRun: cancelQueuedRun,
};

const workflowTable = tableDecider<
  WorkflowCommand,
  WorkflowQueueState,
  WorkflowEvent,
  WorkflowEventDraft,
  WorkflowTransaction,
  void,
  WorkflowRejection
>({
  handlers: HANDLERS,
  begin: (command, state) =>
    new WorkflowTransaction(state, command.workflowId, command.metadata.at, command.metadata.by),
  rejected: (command, refused) => ({
    type: 'WorkflowCommandRejected',
    commandType: command.type,
    commandId: command.metadata.commandId,
    code: refused.code,
    message: refused.message,
  }),
});

/**
 * The workflow queue's decider: what `command` means for a workflow's queue
 * in `state`, as events (seq continuing from `state.lastSeq`) and the state
 * they lead to. Pure and total: a refused command yields exactly one
 * `WorkflowCommandRejected`, which changes nothing but the seq; an accepted
 * one may yield no event (the blocking run failing again after a restart).
 *
 * @example
 *   const { events, state: next } = decideWorkflowQueue(command, state);
 *   // each RunAdmitted's `start` goes to baton.run-commands
 */
export function decideWorkflowQueue(
  command: WorkflowCommand,
  state: WorkflowQueueState,
): Decision<WorkflowQueueState, WorkflowEvent> {
  return workflowTable.decide(command, state, undefined);
}

/**
 * `decideWorkflowQueue`'s events alone, for specs and replays that fold them themselves.
 *
 * @example
 *   const events = decideWorkflowCommand(command, state);
 *   const next = events.reduce(evolveWorkflowQueue, state);
 */
export function decideWorkflowCommand(command: WorkflowCommand, state: WorkflowQueueState): WorkflowEvent[] {
  return [...decideWorkflowQueue(command, state).events];
}
