import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { ROLES, type Principal, type Role } from '@baton/auth';
import { ApiController } from '../http/api-controller.decorator';
import { Requires } from './access.decorator';
import { Caller } from './caller.decorator';
import { type CallerView, GetCallerQuery } from './queries/get-caller.query';

export class WhoAmIDto {
  @ApiProperty({ example: 'token:3f9a0c1b2d4e', description: 'The principal the audit trail records' })
  subject!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: [String], nullable: true, description: 'Workflow-id prefixes; null: every workflow' })
  scopes!: string[] | null;
}

/** Who the bearer token is: the web UI hides the actions a viewer may not take. */
@ApiController('api/v1/auth', 'auth')
export class WhoAmIController {
  constructor(private readonly queries: QueryBus) {}

  @Get('me')
  @Requires('read')
  @ApiOperation({ operationId: 'getCaller', summary: 'The caller: its principal, role and workflow scopes' })
  @ApiOkResponse({ type: WhoAmIDto })
  me(@Caller() caller: Principal): Promise<CallerView> {
    return this.queries.execute(new GetCallerQuery(caller));
  }
}
