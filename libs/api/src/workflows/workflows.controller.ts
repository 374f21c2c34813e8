import { Body, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';
import type { PushResult, WorkflowSummary, WorkflowVersion } from '@baton/readmodel';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { IntParamPipe, MAX_INT32 } from '../http/int-param.pipe';
import { documentText, WORKFLOW_CONTENT_TYPES } from '../http/workflow-source.middleware';
import { PushQueryDto } from './push-query.dto';
import { PushResultDto, WorkflowDetailDto, WorkflowSummaryDto, WorkflowVersionDto } from './workflows.dto';
import type { WorkflowDetail } from './workflows.service';
import { ActivateWorkflowVersionCommand } from './commands/activate-workflow-version.command';
import { DeactivateWorkflowCommand } from './commands/deactivate-workflow.command';
import { PushWorkflowCommand } from './commands/push-workflow.command';
import { GetWorkflowVersionQuery } from './queries/get-workflow-version.query';
import { GetWorkflowQuery } from './queries/get-workflow.query';
import { ListWorkflowsQuery } from './queries/list-workflows.query';

const VERSION_PARAM = {
  name: 'version',
  schema: { type: 'integer', minimum: 1, maximum: MAX_INT32 },
} as const;

@ApiController('api/v1/workflows', 'workflows')
export class WorkflowsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Requires('administer')
  @ApiOperation({
    operationId: 'pushWorkflow',
    summary: 'Push a workflow document (YAML or JSON)',
    description:
      'The body is the document itself, kept byte for byte as the version source. Content-Type ' +
      'application/json parses it as JSON, any *yaml type as YAML; otherwise the format is guessed ' +
      '(a body starting with { is JSON). Answers 201 in both cases; `created` is false when the ' +
      'document equals the latest version, which is then returned unchanged. The pushed version ' +
      'becomes the active one unless `activate=false`; `activeVersion` says which one is.',
  })
  @ApiConsumes(...WORKFLOW_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', example: 'id: hello\nsteps:\n  - id: say\n    type: noop\n' } })
  @ApiCreatedResponse({
    type: PushResultDto,
    description: 'Accepted (created: false for an identical re-push)',
  })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'Every validation error, with JSON path and line/column',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorDto })
  push(
    @Body() body: unknown,
    @Query() query: PushQueryDto,
    @Caller() caller: Principal,
    @Headers('content-type') contentType?: string,
  ): Promise<PushResult> {
    return this.commands.execute(
      new PushWorkflowCommand(documentText(body), contentType, caller, query.activate ?? true),
    );
  }

  @Get()
  @ApiOperation({ operationId: 'listWorkflows', summary: 'All workflows with their active version, by id' })
  @ApiOkResponse({ type: [WorkflowSummaryDto] })
  list(@Caller() caller: Principal): Promise<WorkflowSummary[]> {
    return this.queries.execute(new ListWorkflowsQuery(caller));
  }

  @Get(':workflowId')
  @ApiOperation({
    operationId: 'getWorkflow',
    summary: 'A workflow: summary, active definition and source, and its versions',
  })
  @ApiOkResponse({ type: WorkflowDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('workflowId') workflowId: string): Promise<WorkflowDetail> {
    return this.queries.execute(new GetWorkflowQuery(workflowId));
  }

  @Get(':workflowId/versions/:version')
  @ApiParam(VERSION_PARAM)
  @ApiOperation({
    operationId: 'getWorkflowVersion',
    summary: 'One version of a workflow, with its definition and source',
  })
  @ApiOkResponse({ type: WorkflowVersionDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  getVersion(
    @Param('workflowId') workflowId: string,
    @Param('version', new IntParamPipe('version')) version: number,
  ): Promise<WorkflowVersion> {
    return this.queries.execute(new GetWorkflowVersionQuery(workflowId, version));
  }

  @Post(':workflowId/versions/:version/activate')
  @ApiParam(VERSION_PARAM)
  @HttpCode(200)
  @Requires('administer')
  @ApiOperation({ operationId: 'activateWorkflowVersion', summary: 'Make a version the one new runs use' })
  @ApiOkResponse({ type: WorkflowSummaryDto, description: 'The workflow after activation' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow or version' })
  activate(
    @Param('workflowId') workflowId: string,
    @Param('version', new IntParamPipe('version')) version: number,
  ): Promise<WorkflowSummary> {
    return this.commands.execute(new ActivateWorkflowVersionCommand(workflowId, version));
  }

  @Post(':workflowId/deactivate')
  @HttpCode(200)
  @Requires('administer')
  @ApiOperation({
    operationId: 'deactivateWorkflow',
    summary: 'Leave no version active',
    description:
      'Requests for the active version are refused (409) until a version is activated; a request ' +
      'naming a version still starts, and runs already started go on. A push with activate=false ' +
      'adds a version without activating it; a push without it activates its version, ending the ' +
      'deactivation. Deactivating twice changes nothing.',
  })
  @ApiOkResponse({
    type: WorkflowSummaryDto,
    description: 'The workflow after deactivation (activeVersion null)',
  })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown workflow' })
  deactivate(@Param('workflowId') workflowId: string): Promise<WorkflowSummary> {
    return this.commands.execute(new DeactivateWorkflowCommand(workflowId));
  }
}
