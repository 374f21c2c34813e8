import { Command } from '@nestjs/cqrs';
import type { WorkflowSummary } from '@baton/readmodel';

/** `POST /workflows/{workflowId}/deactivate`: leave no version active. */
export class DeactivateWorkflowCommand extends Command<WorkflowSummary> {
  constructor(readonly workflowId: string) {
    super();
  }
}
