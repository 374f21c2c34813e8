import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiMetricsInterceptor } from './api-metrics.interceptor';
import { SecretMaskInterceptor } from './secret-mask.interceptor';

/**
 * A controller of the REST API: its path, its OpenAPI tag, Baton's error
 * mapping, request metrics, secret masking, and authentication (every route needs a bearer
 * token; `@Requires` says which permission).
 */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No bearer token, or one that is unknown, revoked or expired' }),
    ApiTooManyRequestsResponse({
      description: 'Mutating requests over the per-token rate limit; see Retry-After',
    }),
    UseGuards(ApiAuthGuard),
    UseFilters(ApiExceptionFilter),
    UseInterceptors(ApiMetricsInterceptor, SecretMaskInterceptor),
  );
}
