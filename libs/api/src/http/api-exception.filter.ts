import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Optional,
} from '@nestjs/common';
import { batonLogger } from '@baton/observability';
import type { ServerResponse } from 'node:http';
import { isUniqueViolation } from '@baton/sql';
import {
  InvalidCursorError,
  RegistryRejectedError,
  RegistryUnavailableError,
  WorkflowNotFoundError,
  WorkflowVersionNotFoundError,
} from '@baton/readmodel';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
} from './api.errors';
import { isStorageFull, STORAGE_FULL_RETRY_AFTER_S, StorageState } from './storage-state';

/** The body of every non-2xx answer: Nest's usual fields, plus `errors` on a 400 Baton can point into. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly message: string | string[];
  readonly error?: string;
  readonly errors?: readonly { path: string; message: string; line?: number; column?: number }[];
}

/**
 * Maps what the services and the read model throw to a status and an
 * `ErrorBody`. Anything unknown is a 500 whose body says nothing more: the
 * stack goes to the log, never to the client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = batonLogger('Api');

  constructor(@Optional() @Inject(StorageState) private readonly storage?: StorageState) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && !response.headersSent) {
      response.setHeader('Retry-After', String(STORAGE_FULL_RETRY_AFTER_S));
    }
    if (response.headersSent) {
      // A stream (SSE) already answered 200; all that is left is to end it.
      response.end();
      return;
    }
    response.statusCode = body.statusCode;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(body));
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof InvalidRequestError) {
      return { statusCode: HttpStatus.BAD_REQUEST, message: exception.message, errors: exception.errors };
    }
    if (exception instanceof InvalidCursorError) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        message: exception.message,
        errors: [{ path: '$.cursor', message: exception.message }],
      };
    }
    if (
      exception instanceof NotFoundError ||
      exception instanceof WorkflowNotFoundError ||
      exception instanceof WorkflowVersionNotFoundError
    ) {
      return { statusCode: HttpStatus.NOT_FOUND, message: exception.message };
    }
    if (exception instanceof ForbiddenError) {
      return { statusCode: HttpStatus.FORBIDDEN, message: exception.message, error: 'Forbidden' };
    }
    if (exception instanceof GoneError) {
      return { statusCode: HttpStatus.GONE, message: exception.message, error: 'Gone' };
    }
    if (exception instanceof ConflictError || exception instanceof RegistryRejectedError) {
      return { statusCode: HttpStatus.CONFLICT, message: exception.message };
    }
    if (exception instanceof RegistryUnavailableError) {
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: exception.message,
        error: 'Service Unavailable',
      };
    }
    if (isUniqueViolation(exception)) {
      return {
        statusCode: HttpStatus.CONFLICT,
        message: 'a concurrent request changed the same thing; retry',
      };
    }
    if (exception instanceof PayloadTooLargeError) {
      return { statusCode: HttpStatus.PAYLOAD_TOO_LARGE, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        return { statusCode: status, ...(payload as Omit<ErrorBody, 'statusCode'>) };
      }
      return { statusCode: status, message: String(payload) };
    }
    if (isStorageFull(exception)) {
      this.storage?.markFull();
      this.logger.warn('storage is full', {
        error: exception instanceof Error ? exception.message : String(exception),
      });
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: `storage is full; retry in ${STORAGE_FULL_RETRY_AFTER_S} s`,
        error: 'Service Unavailable',
      };
    }
    this.logger.error('unexpected error answered 500', { err: exception });
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}
