import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { ApiMetrics } from './api.metrics';

type RoutedRequest = IncomingMessage & { readonly route?: { readonly path?: unknown } };

/**
 * Counts every answer of the API's routes and times it. It records when the
 * response is finished (or the client went away), so the status is the one
 * actually sent, including a 400 from the validation pipe or a mapped error.
 * The route label is the template (`/api/v1/runs/:runId`), never the URL,
 * to keep the label set bounded.
 */
@Injectable()
export class ApiMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ApiMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<RoutedRequest>();
    const response = http.getResponse<ServerResponse>();
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
      const method = request.method ?? 'GET';
      this.metrics.requests.inc({ route, method, status: String(response.statusCode) });
      const streaming = String(response.getHeader('content-type') ?? '').startsWith('text/event-stream');
      if (!streaming) {
        this.metrics.duration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    };
    response.once('finish', record);
    response.once('close', record);
    return next.handle();
  }
}
