import { Command } from '@nestjs/cqrs';
import type { RunActionReasonDto } from '../run-actions.dto';
import type { RunActionAnswer } from './run-action-answer';

/** `POST /runs/{runId}/kill` (and `/cancel`): active steps are cancelled now and the run ends as cancelled. */
export class KillRunCommand extends Command<RunActionAnswer> {
  constructor(
    readonly runId: string,
    readonly body: RunActionReasonDto,
    readonly by: string,
  ) {
    super();
  }
}
