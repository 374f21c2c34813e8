import { Command } from '@nestjs/cqrs';
import type { SetBreakpointsDto } from '../workflow-queue.dto';
import type { BreakpointsAnswer } from '../workflow-queue.service';

/** `PUT /workflows/{workflowId}/breakpoints`: the steps every run started from now on pauses before. */
export class SetWorkflowBreakpointsCommand extends Command<BreakpointsAnswer> {
  constructor(
    readonly workflowId: string,
    readonly body: SetBreakpointsDto,
    readonly by: string,
  ) {
    super();
  }
}
