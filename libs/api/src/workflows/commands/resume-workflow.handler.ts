import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WorkflowCommandAnswer, WorkflowQueueApiService } from '../workflow-queue.service';
import { ResumeWorkflowCommand } from './resume-workflow.command';

/** The queue's check and publish stay in `WorkflowQueueApiService.resume`; the queue's writer decides. */
@CommandHandler(ResumeWorkflowCommand)
export class ResumeWorkflowHandler implements ICommandHandler<ResumeWorkflowCommand> {
  constructor(
    @Inject(WorkflowQueueApiService) private readonly queue: Pick<WorkflowQueueApiService, 'resume'>,
  ) {}

  execute({ workflowId, by }: ResumeWorkflowCommand): Promise<WorkflowCommandAnswer> {
    return this.queue.resume(workflowId, by);
  }
}
