import { Command } from '@nestjs/cqrs';
import type { WorkflowCommandAnswer } from '../workflow-queue.service';

/** `POST /workflows/{workflowId}/pause`: pause a workflow: new runs wait in its queue; started runs go on. `by`: the caller's principal subject. */
export class PauseWorkflowCommand extends Command<WorkflowCommandAnswer> {
  constructor(
    readonly workflowId: string,
    readonly by: string,
  ) {
    super();
  }
}
