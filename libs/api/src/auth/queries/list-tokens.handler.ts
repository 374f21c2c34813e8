import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ApiToken, TokenStore } from '@baton/auth';
import { ListTokensQuery } from './list-tokens.query';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery> {
  constructor(@Inject(TokenStore) private readonly tokens: Pick<TokenStore, 'list'>) {}

  execute(): Promise<ApiToken[]> {
    return this.tokens.list();
  }
}
