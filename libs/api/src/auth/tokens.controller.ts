import { Body, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { ApiToken, Principal } from '@baton/auth';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { Requires, Unscoped } from './access.decorator';
import { Caller } from './caller.decorator';
import { ApiTokenDto, CreatedTokenDto, CreateTokenDto } from './tokens.dto';
import { CreateTokenCommand } from './commands/create-token.command';
import { RevokeTokenCommand } from './commands/revoke-token.command';
import { ListTokensQuery } from './queries/list-tokens.query';

/** API tokens: an unscoped admin creates, lists and revokes them. */
@ApiController('api/v1/tokens', 'tokens')
export class TokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Requires('administer')
  @Unscoped()
  @ApiOperation({
    operationId: 'createToken',
    summary: 'Create an API token; the answer is the only time its text is shown',
  })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  create(@Body() body: CreateTokenDto, @Caller() caller: Principal): Promise<ApiToken & { token: string }> {
    return this.commands.execute(new CreateTokenCommand(body, caller.subject));
  }

  @Get()
  @Requires('administer')
  @Unscoped()
  @ApiOperation({
    operationId: 'listTokens',
    summary: 'Every API token, revoked ones included, newest first (never their secrets)',
  })
  @ApiOkResponse({ type: [ApiTokenDto] })
  list(): Promise<ApiToken[]> {
    return this.queries.execute(new ListTokensQuery());
  }

  @Delete(':tokenId')
  @Requires('administer')
  @Unscoped()
  @ApiOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a token: refused from now on (within 10 s on other API processes)',
  })
  @ApiOkResponse({ type: ApiTokenDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No live token has that id' })
  revoke(@Param('tokenId') tokenId: string, @Caller() caller: Principal): Promise<ApiToken> {
    return this.commands.execute(new RevokeTokenCommand(tokenId, caller.subject));
  }
}
