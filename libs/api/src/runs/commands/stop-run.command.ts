import { Command } from '@nestjs/cqrs';
import type { RunActionReasonDto } from '../run-actions.dto';
import type { RunActionAnswer } from './run-action-answer';

/** `POST /runs/{runId}/stop`: graceful; nothing new starts, active steps finish, then the run ends as cancelled. */
export class StopRunCommand extends Command<RunActionAnswer> {
  constructor(
    readonly runId: string,
    readonly body: RunActionReasonDto,
    readonly by: string,
  ) {
    super();
  }
}
