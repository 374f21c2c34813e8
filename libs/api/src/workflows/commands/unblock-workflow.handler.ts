import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WorkflowCommandAnswer, WorkflowQueueApiService } from '../workflow-queue.service';
import { UnblockWorkflowCommand } from './unblock-workflow.command';

/** The queue's check and publish stay in `WorkflowQueueApiService.unblock`; the queue's writer decides. */
@CommandHandler(UnblockWorkflowCommand)
export class UnblockWorkflowHandler implements ICommandHandler<UnblockWorkflowCommand> {
  constructor(
    @Inject(WorkflowQueueApiService) private readonly queue: Pick<WorkflowQueueApiService, 'unblock'>,
  ) {}

  execute({ workflowId, by }: UnblockWorkflowCommand): Promise<WorkflowCommandAnswer> {
    return this.queue.unblock(workflowId, by);
  }
}
