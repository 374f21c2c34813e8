import { Body, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { documentText, WORKFLOW_CONTENT_TYPES } from '../http/workflow-source.middleware';
import { MaestroImportQueryDto, MaestroImportResponseDto } from './maestro-import.dto';
import type { MaestroImportAnswer } from './maestro-import.service';
import { ImportMaestroWorkflowCommand } from './commands/import-maestro-workflow.command';

@ApiController('api/v1/import', 'import')
export class MaestroImportController {
  constructor(private readonly commands: CommandBus) {}

  // Converting stores nothing, so reading is enough; the service asks admin of a push.
  @Post('maestro')
  @HttpCode(200)
  @Requires('read')
  @ApiOperation({
    operationId: 'importMaestroWorkflow',
    summary: 'Convert a Netflix Maestro workflow definition (JSON or YAML) into a Baton workflow',
    description:
      'The body is the Maestro document ({ properties, workflow: { id, steps } }). Answers the Baton ' +
      'workflow, its YAML text, and every construct that could not be mapped (or was mapped with a ' +
      'difference) with its JSON path in the Maestro document. SEL expressions with a direct CEL ' +
      'equivalent are translated; the rest are reported. With ?push=true (admin role) the result is ' +
      'pushed as POST /workflows would push it.',
  })
  @ApiConsumes(...WORKFLOW_CONTENT_TYPES)
  @ApiBody({
    schema: {
      type: 'string',
      example: '{"workflow": {"id": "demo", "steps": [{"step": {"id": "job.1", "type": "NoOp"}}]}}',
    },
  })
  @ApiOkResponse({ type: MaestroImportResponseDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'Not a Maestro workflow, or (with push) a refused push',
  })
  @ApiForbiddenResponse({
    type: ErrorDto,
    description: 'push=true without the admin role, or outside the token scope',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorDto })
  convert(
    @Body() body: unknown,
    @Query() query: MaestroImportQueryDto,
    @Caller() caller: Principal,
  ): Promise<MaestroImportAnswer> {
    return this.commands.execute(
      new ImportMaestroWorkflowCommand(documentText(body), query.push === 'true', caller),
    );
  }
}
