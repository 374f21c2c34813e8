import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandStamp } from '../../command-stamp';
import { ConflictError } from '../../http/api.errors';
import { RunPublisher } from '../run-publisher';
import { type RunActionAnswer, sendRunAction } from './run-action-answer';
import { RunActionChecks, TERMINAL_STEP_STATUSES } from './run-action-checks';
import { SkipStepCommand } from './skip-step.command';

/** Publishes `SkipStep` for a step of a running run that has not finished; an attempt in flight is cancelled. */
@CommandHandler(SkipStepCommand)
export class SkipStepHandler implements ICommandHandler<SkipStepCommand> {
  constructor(
    @Inject(RunActionChecks) private readonly checks: Pick<RunActionChecks, 'stepOfRunningRun'>,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    @Inject(CommandStamp) private readonly stamp: CommandStamp,
  ) {}

  async execute({ runId, stepId, body, by }: SkipStepCommand): Promise<RunActionAnswer> {
    const step = await this.checks.stepOfRunningRun(runId, stepId, 'skip');
    if (step && TERMINAL_STEP_STATUSES.includes(step.status)) {
      throw new ConflictError(
        `step ${stepId} of run ${runId} already ${step.status}; there is nothing to skip`,
      );
    }
    return sendRunAction(this.publisher, {
      type: 'SkipStep',
      runId,
      stepId,
      reason: body.reason ?? 'skipped through the API',
      metadata: this.stamp.metadata('skip', by),
    });
  }
}
