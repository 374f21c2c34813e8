import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WorkflowCommandAnswer, WorkflowQueueApiService } from '../workflow-queue.service';
import { PauseWorkflowCommand } from './pause-workflow.command';

/** The queue's check and publish stay in `WorkflowQueueApiService.pause`; the queue's writer decides. */
@CommandHandler(PauseWorkflowCommand)
export class PauseWorkflowHandler implements ICommandHandler<PauseWorkflowCommand> {
  constructor(
    @Inject(WorkflowQueueApiService) private readonly queue: Pick<WorkflowQueueApiService, 'pause'>,
  ) {}

  execute({ workflowId, by }: PauseWorkflowCommand): Promise<WorkflowCommandAnswer> {
    return this.queue.pause(workflowId, by);
  }
}
