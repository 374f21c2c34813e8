import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiMetricsInterceptor } from './api-metrics.interceptor';
import { SecretMaskInterceptor } from './secret-mask.interceptor';

/** A controller of the REST API: its path, its OpenAPI tag, Baton's error mapping, request metrics and secret masking. */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiTags(tag),
    UseFilters(ApiExceptionFilter),
    UseInterceptors(ApiMetricsInterceptor, SecretMaskInterceptor),
  );
}
