import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type CallerView, GetCallerQuery } from './get-caller.query';

/** The principal the guard resolved, as JSON (no secret: the token itself is never echoed). */
@QueryHandler(GetCallerQuery)
export class GetCallerHandler implements IQueryHandler<GetCallerQuery> {
  async execute({ caller }: GetCallerQuery): Promise<CallerView> {
    return {
      subject: caller.subject,
      role: caller.role,
      scopes: caller.scopes === null ? null : [...caller.scopes],
    };
  }
}
