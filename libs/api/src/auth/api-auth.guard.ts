import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { batonLogger } from '@baton/observability';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import {
  inScope,
  isScoped,
  principalCan,
  type Authenticator,
  type Permission,
  type Principal,
  type RateLimiter,
} from '@baton/auth';
import { RunQueries } from '@baton/readmodel';
import { AUTHENTICATOR, RATE_LIMITER } from './auth.tokens';
import { PERMISSION_KEY, UNSCOPED_KEY } from './access.decorator';
import type { AuthenticatedRequest } from './caller.decorator';

interface GuardedRequest extends AuthenticatedRequest {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params: Record<string, string | undefined>;
  readonly query: Record<string, unknown>;
}

const READ_METHODS = ['GET', 'HEAD'];

/** The permission a route needs: its `@Requires`, else read for a GET and administer for anything else. */
export function permissionOf(method: string, declared: Permission | undefined): Permission {
  return declared ?? (READ_METHODS.includes(method) ? 'read' : 'administer');
}

/**
 * Every API route goes through here (`ApiController` applies it), in this order:
 * 1. authenticate the bearer (401 with `WWW-Authenticate: Bearer`);
 * 2. the role must grant the route's permission (403);
 * 3. a mutating request takes from its principal's rate bucket (429 with `Retry-After`);
 * 4. a scoped principal must cover the workflow the route touches: the
 *    `workflowId` in the path or the query, or the workflow of the `runId`
 *    in the path (403); routes that reach every workflow refuse it outright.
 * Lists a scoped principal may read are narrowed by the services (`Caller`).
 * Every mutating request let through is logged with its principal.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private readonly logger = batonLogger('Audit');

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter | null,
    @Inject(RunQueries) private readonly runs: Pick<RunQueries, 'workflowOfRun'>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const handler = context.getHandler();
    const permission = permissionOf(
      request.method,
      this.reflector.get<Permission | undefined>(PERMISSION_KEY, handler),
    );
    const authorization = request.headers.authorization;
    const result = await this.authenticator.authenticate(
      Array.isArray(authorization) ? authorization[0] : authorization,
    );
    if (!result.ok) {
      context
        .switchToHttp()
        .getResponse<ServerResponse>()
        .setHeader('WWW-Authenticate', 'Bearer realm="baton"');
      throw new UnauthorizedException(result.reason);
    }
    const principal = result.principal;
    if (!principalCan(principal, permission)) {
      throw new ForbiddenException(
        `${principal.subject} has role ${principal.role}, which lacks the ${permission} permission this route needs`,
      );
    }
    const mutating = !READ_METHODS.includes(request.method);
    if (mutating && this.limiter) {
      const decision = this.limiter.take(principal.subject);
      if (!decision.allowed) {
        context
          .switchToHttp()
          .getResponse<ServerResponse>()
          .setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw new HttpException(
          {
            message: `too many requests from ${principal.subject}; retry in ${decision.retryAfterSeconds} s`,
            error: 'Too Many Requests',
          },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
    if (isScoped(principal)) await this.checkScope(principal, request, handler);
    request.principal = principal;
    if (mutating) {
      this.logger.info('api request', {
        by: principal.subject,
        role: principal.role,
        method: request.method,
        path: (request.originalUrl ?? request.url).split('?')[0],
      });
    }
    return true;
  }

  private async checkScope(
    principal: Principal,
    request: GuardedRequest,
    handler: ReturnType<ExecutionContext['getHandler']>,
  ): Promise<void> {
    if (this.reflector.get<boolean | undefined>(UNSCOPED_KEY, handler)) {
      throw new ForbiddenException(
        `${principal.subject} is scoped to ${describe(principal)}; this route reaches every workflow`,
      );
    }
    const queried = typeof request.query.workflowId === 'string' ? request.query.workflowId : undefined;
    const runId = request.params.runId;
    const workflowId =
      request.params.workflowId ??
      queried ??
      (runId === undefined ? undefined : await this.runs.workflowOfRun(runId));
    if (workflowId !== undefined && workflowId !== null && !inScope(principal, workflowId)) {
      throw new ForbiddenException(
        `${principal.subject} is scoped to ${describe(principal)}; workflow ${workflowId} is outside it`,
      );
    }
  }
}

function describe(principal: Principal): string {
  return (principal.scopes ?? []).map((prefix) => `${prefix}*`).join(', ') || 'no workflow';
}
