import { Command } from '@nestjs/cqrs';
import type { WorkflowCommandAnswer } from '../workflow-queue.service';

/** `POST /workflows/{workflowId}/resume`: resume a paused workflow: waiting runs start as its run strategy allows. `by`: the caller's principal subject. */
export class ResumeWorkflowCommand extends Command<WorkflowCommandAnswer> {
  constructor(
    readonly workflowId: string,
    readonly by: string,
  ) {
    super();
  }
}
