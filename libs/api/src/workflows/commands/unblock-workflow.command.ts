import { Command } from '@nestjs/cqrs';
import type { WorkflowCommandAnswer } from '../workflow-queue.service';

/** `POST /workflows/{workflowId}/unblock`: unblock a strict_sequential workflow after a failed run. `by`: the caller's principal subject. */
export class UnblockWorkflowCommand extends Command<WorkflowCommandAnswer> {
  constructor(
    readonly workflowId: string,
    readonly by: string,
  ) {
    super();
  }
}
