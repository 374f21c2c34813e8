import type { Handler } from '../decider';
import type { WorkflowCommand } from './workflow-queue.commands';
import type { WorkflowRejection } from './workflow-queue.errors';
import type { WorkflowTransaction } from './workflow-queue.transaction';

/**
 * One workflow command type's processor: checks `tx.state` and returns a
 * rejection before emitting anything, or emits the command's events.
 */
export type WorkflowCommandHandler<C extends WorkflowCommand> = Handler<
  C,
  WorkflowTransaction,
  void,
  WorkflowRejection
>;
