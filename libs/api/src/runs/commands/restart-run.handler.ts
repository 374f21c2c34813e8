import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RestartMode } from '@baton/domain';
import { CommandStamp } from '../../command-stamp';
import { ConflictError, InvalidRequestError } from '../../http/api.errors';
import { ParamSealer } from '../param-sealer';
import { checkRunParams } from '../run-params.check';
import { RunPublisher } from '../run-publisher';
import type { RestartRunDto } from '../run-actions.dto';
import { type RunActionAnswer, sendRunAction } from './run-action-answer';
import {
  describeWorkflow,
  RunActionChecks,
  stepIds,
  stepOf,
  TERMINAL_RUN_STATUSES,
} from './run-action-checks';
import { RestartRunCommand } from './restart-run.command';

/**
 * Publishes `RestartRun` for a finished top-level run. When the run's
 * workflow version is in the registry, the step to restart from and the new
 * params are checked against it (400 with paths into the body), and new
 * secret params are sealed before they reach the log.
 */
@CommandHandler(RestartRunCommand)
export class RestartRunHandler implements ICommandHandler<RestartRunCommand> {
  constructor(
    @Inject(RunActionChecks) private readonly checks: RunActionChecks,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    @Inject(CommandStamp) private readonly stamp: CommandStamp,
    @Inject(ParamSealer) private readonly secrets: ParamSealer,
  ) {}

  async execute({ runId, body, by }: RestartRunCommand): Promise<RunActionAnswer> {
    const { mode, stepId } = restartTarget(body);
    const run = await this.checks.knownRun(runId);
    if (!TERMINAL_RUN_STATUSES.includes(run.status)) {
      throw new ConflictError(
        `run ${runId} is still ${run.status}: only a finished run restarts (stop or kill it first)`,
      );
    }
    if (run.parent !== null) {
      // The engine forgets a child run once it ended; its parent's step starts new children.
      throw new ConflictError(
        `run ${runId} is a child run of step ${run.parent.stepId} of run ${run.parent.runId}: ` +
          `restart run ${run.parent.runId} from step ${run.parent.stepId} instead`,
      );
    }
    const definition = await this.checks.definitionOf(run);
    // `params: null` is absent (an optional field, as the OpenAPI says `nullable`).
    let params = body.params ?? undefined;
    if (definition) {
      if (stepId !== undefined && !stepOf(definition, stepId)) {
        const message = `${describeWorkflow(definition)} has no step "${stepId}"; its steps are: ${stepIds(definition)}`;
        throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
      }
      const errors = checkRunParams(definition, { ...run.params, ...params });
      if (errors.length > 0) {
        throw new InvalidRequestError(
          `params do not fit ${describeWorkflow(definition)}: ${errors[0].message}`,
          errors,
        );
      }
      if (params !== undefined) params = this.secrets.seal(definition, params);
    }
    return sendRunAction(this.publisher, {
      type: 'RestartRun',
      runId,
      mode,
      ...(stepId === undefined ? {} : { stepId }),
      ...(params === undefined ? {} : { params }),
      metadata: this.stamp.metadata('restart', by),
    });
  }
}

/** The mode defaults to from_step when a step is named, else to incomplete; a step goes with from_step only. */
function restartTarget(body: RestartRunDto): { mode: RestartMode; stepId?: string } {
  const mode = body.mode ?? (body.stepId === undefined ? 'incomplete' : 'from_step');
  if (mode === 'from_step') {
    if (body.stepId !== undefined) return { mode, stepId: body.stepId };
    const message = 'mode from_step needs stepId: the step to restart from';
    throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
  }
  if (body.stepId !== undefined) {
    const message = `stepId goes with mode from_step only; mode ${mode} restarts ${
      mode === 'beginning' ? 'every step' : 'every step that did not succeed'
    }`;
    throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
  }
  return { mode };
}
