import { Body, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import {
  BreakpointsAcceptedDto,
  SetBreakpointsDto,
  WorkflowCommandAcceptedDto,
  WorkflowQueueDto,
  WorkflowQueueQueryDto,
} from './workflow-queue.dto';
import type { BreakpointsAnswer, WorkflowCommandAnswer } from './workflow-queue.service';
import { PauseWorkflowCommand } from './commands/pause-workflow.command';
import { ResumeWorkflowCommand } from './commands/resume-workflow.command';
import { SetWorkflowBreakpointsCommand } from './commands/set-workflow-breakpoints.command';
import { UnblockWorkflowCommand } from './commands/unblock-workflow.command';
import { GetWorkflowQueueQuery } from './queries/get-workflow-queue.query';

const ASYNC =
  'Publishes the command on baton.workflow-commands and answers 202 at once; the workflow queue ' +
  'decides it (a refusal, such as pausing a paused workflow, is recorded with commandId).';

@ApiController('api/v1/workflows/:workflowId', 'workflows')
export class WorkflowQueueController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('queue')
  @ApiOperation({
    operationId: 'getWorkflowQueue',
    summary: "A workflow's run queue: waiting runs in start order, paused, blocked, running",
    description: 'From the read model, so it may lag the queue by the projection delay.',
  })
  @ApiOkResponse({ type: WorkflowQueueDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  get(
    @Param('workflowId') workflowId: string,
    @Query() query: WorkflowQueueQueryDto,
  ): Promise<WorkflowQueueView> {
    return this.queries.execute(new GetWorkflowQueueQuery(workflowId, query));
  }

  @Post('pause')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'pauseWorkflow',
    summary: 'Pause a workflow: new runs wait in its queue; started runs go on',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: WorkflowCommandAcceptedDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  pause(
    @Param('workflowId') workflowId: string,
    @Caller() caller: Principal,
  ): Promise<WorkflowCommandAnswer> {
    return this.commands.execute(new PauseWorkflowCommand(workflowId, caller.subject));
  }

  @Post('resume')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'resumeWorkflow',
    summary: 'Resume a paused workflow: waiting runs start as its run strategy allows',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: WorkflowCommandAcceptedDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  resume(
    @Param('workflowId') workflowId: string,
    @Caller() caller: Principal,
  ): Promise<WorkflowCommandAnswer> {
    return this.commands.execute(new ResumeWorkflowCommand(workflowId, caller.subject));
  }

  @Post('unblock')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'unblockWorkflow',
    summary: 'Unblock a strict_sequential workflow after a failed run, without restarting that run',
    description: ASYNC,
  })
  @ApiAcceptedResponse({ type: WorkflowCommandAcceptedDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  unblock(
    @Param('workflowId') workflowId: string,
    @Caller() caller: Principal,
  ): Promise<WorkflowCommandAnswer> {
    return this.commands.execute(new UnblockWorkflowCommand(workflowId, caller.subject));
  }

  @Put('breakpoints')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'setWorkflowBreakpoints',
    summary: "Set the steps every run started from now on pauses before (merged with a request's own)",
    description: `Replaces the current set; [] clears it. Resume a paused step with POST /runs/{runId}/steps/{stepId}/resume. ${ASYNC}`,
  })
  @ApiAcceptedResponse({ type: BreakpointsAcceptedDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A step the workflow does not have, with its path' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  setBreakpoints(
    @Param('workflowId') workflowId: string,
    @Body() body: SetBreakpointsDto,
    @Caller() caller: Principal,
  ): Promise<BreakpointsAnswer> {
    return this.commands.execute(new SetWorkflowBreakpointsCommand(workflowId, body, caller.subject));
  }
}
