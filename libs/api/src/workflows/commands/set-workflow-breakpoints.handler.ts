import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type BreakpointsAnswer, WorkflowQueueApiService } from '../workflow-queue.service';
import { SetWorkflowBreakpointsCommand } from './set-workflow-breakpoints.command';

/** The step check (400) and publish stay in `WorkflowQueueApiService.setBreakpoints`. */
@CommandHandler(SetWorkflowBreakpointsCommand)
export class SetWorkflowBreakpointsHandler implements ICommandHandler<SetWorkflowBreakpointsCommand> {
  constructor(
    @Inject(WorkflowQueueApiService)
    private readonly queue: Pick<WorkflowQueueApiService, 'setBreakpoints'>,
  ) {}

  execute({ workflowId, body, by }: SetWorkflowBreakpointsCommand): Promise<BreakpointsAnswer> {
    return this.queue.setBreakpoints(workflowId, body, by);
  }
}
