import { Command } from '@nestjs/cqrs';
import type { RunActionReasonDto } from '../run-actions.dto';
import type { RunActionAnswer } from './run-action-answer';

/** `POST /runs/{runId}/steps/{stepId}/skip`: the step counts as succeeded with no outputs. */
export class SkipStepCommand extends Command<RunActionAnswer> {
  constructor(
    readonly runId: string,
    readonly stepId: string,
    readonly body: RunActionReasonDto,
    readonly by: string,
  ) {
    super();
  }
}
