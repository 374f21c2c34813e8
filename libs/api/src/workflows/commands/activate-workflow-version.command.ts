import { Command } from '@nestjs/cqrs';
import type { WorkflowSummary } from '@baton/readmodel';

/** `POST /workflows/{workflowId}/versions/{version}/activate`: the version new runs use. */
export class ActivateWorkflowVersionCommand extends Command<WorkflowSummary> {
  constructor(
    readonly workflowId: string,
    readonly version: number,
  ) {
    super();
  }
}
