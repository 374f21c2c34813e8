import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PushResult } from '@baton/readmodel';
import { WorkflowsService } from '../workflows.service';
import { PushWorkflowCommand } from './push-workflow.command';

/** Parsing, validation and the registry write stay in `WorkflowsService.push` (how a push reaches the registry is its business). */
@CommandHandler(PushWorkflowCommand)
export class PushWorkflowHandler implements ICommandHandler<PushWorkflowCommand> {
  constructor(@Inject(WorkflowsService) private readonly workflows: Pick<WorkflowsService, 'push'>) {}

  execute({ source, contentType, caller, activate }: PushWorkflowCommand): Promise<PushResult> {
    return this.workflows.push(source, contentType, caller, activate);
  }
}
