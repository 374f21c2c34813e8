import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandStamp } from '../../command-stamp';
import { ConflictError } from '../../http/api.errors';
import { RunPublisher } from '../run-publisher';
import { type RunActionAnswer, sendRunAction } from './run-action-answer';
import { RunActionChecks } from './run-action-checks';
import { ResumeStepCommand } from './resume-step.command';

/** Where a step that has reached its breakpoint, or not yet, shows in the read model (or it has no row yet). */
const BEFORE_BREAKPOINT_STATUSES: readonly string[] = ['pending', 'paused'];

/** Publishes `ResumeStep` for a step of a running run that is not past its breakpoint. */
@CommandHandler(ResumeStepCommand)
export class ResumeStepHandler implements ICommandHandler<ResumeStepCommand> {
  constructor(
    @Inject(RunActionChecks) private readonly checks: Pick<RunActionChecks, 'stepOfRunningRun'>,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    @Inject(CommandStamp) private readonly stamp: CommandStamp,
  ) {}

  async execute({ runId, stepId, by }: ResumeStepCommand): Promise<RunActionAnswer> {
    const step = await this.checks.stepOfRunningRun(runId, stepId, 'resume');
    if (step && !BEFORE_BREAKPOINT_STATUSES.includes(step.status)) {
      throw new ConflictError(
        `step ${stepId} of run ${runId} is ${step.status}, past any breakpoint; there is nothing to resume`,
      );
    }
    return sendRunAction(this.publisher, {
      type: 'ResumeStep',
      runId,
      stepId,
      metadata: this.stamp.metadata('resume', by),
    });
  }
}
