import { Command } from '@nestjs/cqrs';
import type { RestartRunDto } from '../run-actions.dto';
import type { RunActionAnswer } from './run-action-answer';

/** `POST /runs/{runId}/restart`: a new attempt of a finished run. `by`: the caller's principal subject. */
export class RestartRunCommand extends Command<RunActionAnswer> {
  constructor(
    readonly runId: string,
    readonly body: RestartRunDto,
    readonly by: string,
  ) {
    super();
  }
}
