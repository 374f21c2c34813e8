import { Body, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TokenStore, type ApiToken, type Authenticator, type Principal } from '@baton/auth';
import { ApiController } from '../http/api-controller.decorator';
import { NotFoundError } from '../http/api.errors';
import { ErrorDto } from '../http/error.dto';
import { Requires, Unscoped } from './access.decorator';
import { AUTHENTICATOR } from './auth.tokens';
import { Caller } from './caller.decorator';
import { ApiTokenDto, CreatedTokenDto, CreateTokenDto } from './tokens.dto';

/** API tokens: an unscoped admin creates, lists and revokes them. */
@ApiController('api/v1/tokens', 'tokens')
export class TokensController {
  constructor(
    private readonly tokens: TokenStore,
    @Inject(AUTHENTICATOR) private readonly authenticator: Pick<Authenticator, 'forget'>,
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
  async create(
    @Body() body: CreateTokenDto,
    @Caller() caller: Principal,
  ): Promise<ApiToken & { token: string }> {
    const created = await this.tokens.create({
      name: body.name,
      role: body.role,
      scopes: body.scopes?.length ? body.scopes : null,
      createdBy: caller.subject,
    });
    return { ...created.record, token: created.token };
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
    return this.tokens.list();
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
  async revoke(@Param('tokenId') tokenId: string, @Caller() caller: Principal): Promise<ApiToken> {
    const revoked = await this.tokens.revoke(tokenId, caller.subject);
    if (!revoked) throw new NotFoundError(`no live token has id ${tokenId} (baton token list shows them)`);
    this.authenticator.forget(`token:${tokenId}`);
    return revoked;
  }
}
