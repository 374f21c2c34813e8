import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WorkflowSummary } from '@baton/readmodel';
import { WorkflowsService } from '../workflows.service';
import { DeactivateWorkflowCommand } from './deactivate-workflow.command';

/** The registry write stays in `WorkflowsService.deactivate`. */
@CommandHandler(DeactivateWorkflowCommand)
export class DeactivateWorkflowHandler implements ICommandHandler<DeactivateWorkflowCommand> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'deactivate'>) {}

  execute({ workflowId }: DeactivateWorkflowCommand): Promise<WorkflowSummary> {
    return this.workflows.deactivate(workflowId);
  }
}
