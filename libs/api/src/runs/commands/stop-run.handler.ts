import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandStamp } from '../../command-stamp';
import { RunPublisher } from '../run-publisher';
import { type RunActionAnswer, sendRunAction } from './run-action-answer';
import { RunActionChecks } from './run-action-checks';
import { StopRunCommand } from './stop-run.command';

/** Publishes `StopRun` for a run the read model does not show ended (404 unknown, 409 ended). */
@CommandHandler(StopRunCommand)
export class StopRunHandler implements ICommandHandler<StopRunCommand> {
  constructor(
    @Inject(RunActionChecks) private readonly checks: Pick<RunActionChecks, 'runningRun'>,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    @Inject(CommandStamp) private readonly stamp: CommandStamp,
  ) {}

  async execute({ runId, body, by }: StopRunCommand): Promise<RunActionAnswer> {
    await this.checks.runningRun(runId, 'stop');
    return sendRunAction(this.publisher, {
      type: 'StopRun',
      runId,
      reason: body.reason ?? 'stopped through the API',
      metadata: this.stamp.metadata('stop', by),
    });
  }
}
