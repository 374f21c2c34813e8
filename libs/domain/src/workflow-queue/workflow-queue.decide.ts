import { requestRun } from './handlers/request-run.handler';
import { runEnded } from './handlers/run-ended.handler';
import {
  cancelQueuedRun,
  pauseWorkflow,
  resumeWorkflow,
  setWorkflowBreakpoints,
  unblockWorkflow,
} from './handlers/workflow-controls.handler';
import {
  activateWorkflowVersion,
  deactivateWorkflow,
  pushWorkflowVersion,
} from './handlers/workflow-versions.handler';
import type { WorkflowCommand, WorkflowCommandType } from './workflow-queue.commands';
import type { WorkflowEvent } from './workflow-queue.events';
import type { WorkflowCommandHandler } from './workflow-queue.handler';
import type { WorkflowQueueState } from './workflow-queue.state';
import { WorkflowTransaction } from './workflow-queue.transaction';

type HandlerTable = {
  readonly [K in WorkflowCommandType]: WorkflowCommandHandler<Extract<WorkflowCommand, { type: K }>>;
};

/** One handler per command type; adding a command type without a handler does not compile. */
const HANDLERS: HandlerTable = {
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

function handlerFor<C extends WorkflowCommand>(command: C): WorkflowCommandHandler<C> {
  // The mapped table pairs each `type` with its handler; TypeScript cannot
  // follow that through an indexed access, hence the one cast.
  return HANDLERS[command.type] as unknown as WorkflowCommandHandler<C>;
}

/**
 * The workflow queue's decider: what `command` means for a workflow's queue
 * in `state`, as events (seq continuing from `state.lastSeq`). Pure and
 * total: a refused command yields exactly one `WorkflowCommandRejected`,
 * which changes nothing but the seq; an accepted one may yield no event (the
 * blocking run failing again after a restart).
 *
 * @example
 *   const events = decideWorkflowCommand(command, state);
 *   const next = events.reduce(evolveWorkflowQueue, state);
 *   // each RunAdmitted's `start` goes to baton.run-commands
 */
export function decideWorkflowCommand(command: WorkflowCommand, state: WorkflowQueueState): WorkflowEvent[] {
  const tx = new WorkflowTransaction(state, command.workflowId, command.metadata.at, command.metadata.by);
  const refused = handlerFor(command)(command, tx);
  if (refused === null) return [...tx.events];
  if (tx.events.length > 0) {
    throw new Error(`handler for ${command.type} emitted events and then refused: ${refused.code}`);
  }
  const rejected = new WorkflowTransaction(
    state,
    command.workflowId,
    command.metadata.at,
    command.metadata.by,
  );
  rejected.emit({
    type: 'WorkflowCommandRejected',
    commandType: command.type,
    commandId: command.metadata.commandId,
    code: refused.code,
    message: refused.message,
  });
  return [...rejected.events];
}
