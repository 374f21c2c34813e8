import { Command } from '@nestjs/cqrs';
import type { StartRunDto } from '../runs.dto';

export interface StartRunAnswer {
  readonly runId: string;
  readonly requestId: string;
  readonly workflowId: string;
  readonly version: number;
}

/** `POST /workflows/{workflowId}/runs`: request a run. `by`: the caller's principal subject (the audit trail). */
export class StartRunCommand extends Command<StartRunAnswer> {
  constructor(
    readonly workflowId: string,
    readonly body: StartRunDto,
    readonly by: string,
  ) {
    super();
  }
}
