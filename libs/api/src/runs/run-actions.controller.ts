import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { RestartRunDto, RunActionReasonDto, RunActionResponseDto } from './run-actions.dto';
import { KillRunCommand } from './commands/kill-run.command';
import { RestartRunCommand } from './commands/restart-run.command';
import { ResumeStepCommand } from './commands/resume-step.command';
import type { RunActionAnswer } from './commands/run-action-answer';
import { SkipStepCommand } from './commands/skip-step.command';
import { StopRunCommand } from './commands/stop-run.command';

const ASYNC =
  'Publishes the command on baton.run-commands and answers 202 at once; the engine decides it ' +
  '(a refusal shows as a CommandRejected event carrying commandId in GET /runs/{runId}/events).';

@ApiController('api/v1/runs/:runId', 'runs')
export class RunActionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('restart')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'restartRun',
    summary: 'Restart a finished run: its incomplete steps, from the beginning, or from a step',
    description: `A new attempt of the same run, recorded in its events. ${ASYNC}`,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'from_step without stepId, an unknown step, params that do not fit',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown run, or not projected yet' })
  @ApiConflictResponse({ type: ErrorDto, description: 'The run has not finished' })
  restart(
    @Param('runId') runId: string,
    @Body() body: RestartRunDto,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new RestartRunCommand(runId, body, caller.subject));
  }

  @Post('stop')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'stopRun',
    summary: 'Stop a run gracefully: nothing new starts, active steps finish, then it ends as cancelled',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The run has already finished' })
  stop(
    @Param('runId') runId: string,
    @Body() body: RunActionReasonDto,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new StopRunCommand(runId, body, caller.subject));
  }

  @Post('kill')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'killRun',
    summary: 'Kill a run: active steps are cancelled now and it ends as cancelled',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The run has already finished' })
  kill(
    @Param('runId') runId: string,
    @Body() body: RunActionReasonDto,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new KillRunCommand(runId, body, caller.subject));
  }

  // Its own route (not a second path on kill) so each operation has one stable operationId.
  @Post('cancel')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'cancelRun',
    summary: 'Cancel a run: the same as kill',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The run has already finished' })
  cancel(
    @Param('runId') runId: string,
    @Body() body: RunActionReasonDto,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new KillRunCommand(runId, body, caller.subject));
  }

  @Post('steps/:stepId/skip')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'skipStep',
    summary: 'Skip a step: it counts as succeeded with no outputs and its successors run',
    description: `An attempt in flight is cancelled. ${ASYNC}`,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown run, or a step its workflow lacks' })
  @ApiConflictResponse({ type: ErrorDto, description: 'The run or the step has already finished' })
  skip(
    @Param('runId') runId: string,
    @Param('stepId') stepId: string,
    @Body() body: RunActionReasonDto,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new SkipStepCommand(runId, stepId, body, caller.subject));
  }

  @Post('steps/:stepId/resume')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'resumeStep',
    summary: 'Let a step held at a breakpoint start',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: RunActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown run, or a step its workflow lacks' })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'The run has finished, or the step is past its breakpoint',
  })
  resume(
    @Param('runId') runId: string,
    @Param('stepId') stepId: string,
    @Caller() caller: Principal,
  ): Promise<RunActionAnswer> {
    return this.commands.execute(new ResumeStepCommand(runId, stepId, caller.subject));
  }
}
