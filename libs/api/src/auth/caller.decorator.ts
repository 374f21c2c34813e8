import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@baton/auth';

/** The request once `ApiAuthGuard` has let it in. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The authenticated principal of the request (set by `ApiAuthGuard`, which runs before every API handler). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('no principal on the request: is ApiAuthGuard on this controller?');
  return principal;
});
