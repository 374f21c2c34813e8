import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkflowSummary } from '@baton/readmodel';
import { WorkflowsService } from '../workflows.service';
import { ActivateWorkflowVersionCommand } from './activate-workflow-version.command';

/** The registry write stays in `WorkflowsService.activate`. */
@CommandHandler(ActivateWorkflowVersionCommand)
export class ActivateWorkflowVersionHandler implements ICommandHandler<ActivateWorkflowVersionCommand> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'activate'>) {}

  execute({ workflowId, version }: ActivateWorkflowVersionCommand): Promise<WorkflowSummary> {
    return this.workflows.activate(workflowId, version);
  }
}
