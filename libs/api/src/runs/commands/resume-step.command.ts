import { Command } from '@nestjs/cqrs';
import type { RunActionAnswer } from './run-action-answer';

/** `POST /runs/{runId}/steps/{stepId}/resume`: lets a step held at a breakpoint start. */
export class ResumeStepCommand extends Command<RunActionAnswer> {
  constructor(
    readonly runId: string,
    readonly stepId: string,
    readonly by: string,
  ) {
    super();
  }
}
