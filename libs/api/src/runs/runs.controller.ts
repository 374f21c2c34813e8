import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { Page, RunDetail, RunSummary, StepLogs } from '@baton/readmodel';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { ChildRunsQueryDto } from './child-runs.dto';
import { ListRunsQueryDto, RunEventsQueryDto, StartRunDto, StepLogsQueryDto } from './runs.dto';
import {
  RunDetailDto,
  RunEventsPageDto,
  RunPageDto,
  StartRunResponseDto,
  StepLogsDto,
} from './runs.responses.dto';
import { type StartRunAnswer, StartRunCommand } from './commands/start-run.command';
import { GetRunQuery } from './queries/get-run.query';
import { GetStepLogsQuery } from './queries/get-step-logs.query';
import { ListChildRunsQuery } from './queries/list-child-runs.query';
import { ListRunEventsQuery, type RunEventsPage } from './queries/list-run-events.query';
import { ListRunsQuery } from './queries/list-runs.query';

const NEVER_STARTED =
  "The run never started: its workflow's run strategy dropped its request (the message says which and why)";

@ApiController('api/v1', 'runs')
export class RunsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('workflows/:workflowId/runs')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    operationId: 'startRun',
    summary: 'Request a run',
    description:
      'Publishes a run request on baton.run-requests and answers at once; the run appears in ' +
      'GET /runs/{runId} once the engine has started it and the projector has caught up. A request ' +
      "the workflow's run strategy drops (first_only, last_only) never starts: GET /runs/{runId} then " +
      'answers 410, and GET /workflows/{workflowId}/queue lists it.',
  })
  @ApiAcceptedResponse({ type: StartRunResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Params that do not fit the definition, with paths' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow or version' })
  @ApiConflictResponse({ type: ErrorDto, description: 'The workflow has no active version (deactivated)' })
  @ApiBody({
    type: StartRunDto,
    required: false,
    description: 'Every field is optional; no body starts the active version',
  })
  start(
    @Param('workflowId') workflowId: string,
    @Body() body: StartRunDto,
    @Caller() caller: Principal,
  ): Promise<StartRunAnswer> {
    return this.commands.execute(new StartRunCommand(workflowId, body, caller.subject));
  }

  @Get('runs')
  @ApiOperation({
    operationId: 'listRuns',
    summary: 'Runs, newest first, a page at a time',
    description: 'Top-level runs only, unless includeChildren=true (child runs: GET /runs/{runId}/children)',
  })
  @ApiOkResponse({ type: RunPageDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A bad query or cursor' })
  list(@Query() query: ListRunsQueryDto, @Caller() caller: Principal): Promise<Page<RunSummary>> {
    return this.queries.execute(new ListRunsQuery(query, caller.scopes));
  }

  @Get('runs/:runId')
  @ApiOperation({ operationId: 'getRun', summary: 'A run with its steps and attempts' })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown, or not projected yet' })
  @ApiGoneResponse({ type: ErrorDto, description: NEVER_STARTED })
  get(@Param('runId') runId: string): Promise<RunDetail> {
    return this.queries.execute(new GetRunQuery(runId));
  }

  @Get('runs/:runId/children')
  @ApiOperation({
    operationId: 'listChildRuns',
    summary: "A run's child runs (foreach and while iterations, subworkflows), a page at a time",
    description:
      'Ordered by step, step attempt and iteration index; the step shows the counts in its progress',
  })
  @ApiOkResponse({ type: RunPageDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A bad query or cursor' })
  children(
    @Param('runId') runId: string,
    @Query() query: ChildRunsQueryDto,
    @Caller() caller: Principal,
  ): Promise<Page<RunSummary>> {
    return this.queries.execute(new ListChildRunsQuery(runId, query, caller.scopes));
  }

  @Get('runs/:runId/events')
  @ApiOperation({ operationId: 'listRunEvents', summary: "A run's events by seq" })
  @ApiOkResponse({ type: RunEventsPageDto, description: 'None (yet) for a run not projected yet' })
  @ApiGoneResponse({ type: ErrorDto, description: NEVER_STARTED })
  events(@Param('runId') runId: string, @Query() query: RunEventsQueryDto): Promise<RunEventsPage> {
    return this.queries.execute(new ListRunEventsQuery(runId, query));
  }

  @Get('runs/:runId/steps/:stepId/logs')
  @ApiOperation({
    operationId: 'getStepLogs',
    summary: "Tails of a step attempt's stdout and stderr (the latest attempt by default)",
  })
  @ApiOkResponse({ type: StepLogsDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiGoneResponse({ type: ErrorDto, description: NEVER_STARTED })
  logs(
    @Param('runId') runId: string,
    @Param('stepId') stepId: string,
    @Query() query: StepLogsQueryDto,
  ): Promise<StepLogs> {
    return this.queries.execute(new GetStepLogsQuery(runId, stepId, query.attempt));
  }
}
