import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RunQueries } from '@baton/readmodel';
import { CommandStamp } from '../../command-stamp';
import { WorkflowCommandPublisher } from '../../workflows/workflow-command-publisher';
import { RunPublisher } from '../run-publisher';
import { type RunActionAnswer, sendRunAction } from './run-action-answer';
import { known, refuseEnded } from './run-action-checks';
import { KillRunCommand } from './kill-run.command';

/**
 * Publishes `CancelRun` for a run that has not ended. A run still waiting in
 * its workflow's queue has no run partition yet: it is withdrawn there
 * (`CancelQueuedRun` for the queue's writer) and never starts.
 */
@CommandHandler(KillRunCommand)
export class KillRunHandler implements ICommandHandler<KillRunCommand> {
  constructor(
    @Inject(RunQueries) private readonly queries: Pick<RunQueries, 'getRun' | 'getQueuedRun'>,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    @Inject(WorkflowCommandPublisher)
    private readonly workflowCommands: Pick<WorkflowCommandPublisher, 'send'>,
    @Inject(CommandStamp) private readonly stamp: CommandStamp,
  ) {}

  async execute({ runId, body, by }: KillRunCommand): Promise<RunActionAnswer> {
    const reason = body.reason ?? 'killed through the API';
    const run = await this.queries.getRun(runId);
    const queued = run ? null : await this.queries.getQueuedRun(runId);
    if (queued) {
      const metadata = this.stamp.metadata('kill', by);
      await this.workflowCommands.send({
        type: 'CancelQueuedRun',
        workflowId: queued.workflowId,
        runId,
        reason,
        metadata,
      });
      return { runId, commandId: metadata.commandId };
    }
    refuseEnded(runId, known(runId, run), 'kill');
    return sendRunAction(this.publisher, {
      type: 'CancelRun',
      runId,
      reason,
      metadata: this.stamp.metadata('kill', by),
    });
  }
}
