import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import { DOCUMENT_PATHS } from './workflow-source.middleware';

/**
 * The API's HTTP hardening, read once at start (`loadHttpSecurity`):
 * - `BATON_CORS_ORIGINS`: origins (comma-separated) allowed to call the API
 *   from a browser; unset, CORS stays off (same-origin only);
 * - `BATON_MAX_BODY_BYTES`: the largest JSON body read (default 256 KiB;
 *   workflow documents have their own bound, `BATON_LIMIT_MAX_DOCUMENT_BYTES`).
 */
export interface HttpSecurity {
  readonly corsOrigins: readonly string[];
  readonly maxBodyBytes: number;
  /** False only with `BATON_AUTH=off` (`loadAuthConfig` refuses any other value). */
  readonly authRequired: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export function loadHttpSecurity(env: NodeJS.ProcessEnv): HttpSecurity {
  const raw = env.BATON_MAX_BODY_BYTES;
  const maxBodyBytes = raw === undefined || raw === '' ? DEFAULT_MAX_BODY_BYTES : Number(raw);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    throw new Error(`BATON_MAX_BODY_BYTES must be a whole number of bytes >= 1024, got '${raw}'`);
  }
  const corsOrigins = (env.BATON_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin === '*' || new URL(origin).origin !== origin) {
      throw new Error(
        `BATON_CORS_ORIGINS: '${origin}' must be an origin like https://baton.example.com (no *, no path)`,
      );
    }
  }
  return { corsOrigins, maxBodyBytes, authRequired: (env.BATON_AUTH ?? 'on').toLowerCase() !== 'off' };
}

/** Security headers (helmet) and CORS when configured. Call before `listen`, as `configureApi` does. */
export function applyHttpSecurity(app: INestApplication, security: HttpSecurity): void {
  app.use(helmet());
  if (security.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...security.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['Retry-After'],
      maxAge: 600,
    });
  }
}

/** What a POST may be sent as; anything else is refused before it is read. */
const JSON_TYPES = ['application/json'];
const WORKFLOW_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];

type Next = (error?: unknown) => void;

/**
 * CSRF protection that holds even with `BATON_AUTH=off`: a browser sends a
 * POST cross-site without asking first (no CORS preflight) only as
 * `text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`,
 * or with no body and no type. So every POST under `/api/` must say it is
 * JSON (or, for a push, YAML): 415 otherwise. One exception: a POST with no
 * body, no content type and an `Authorization` header — a browser never
 * sends that header cross-site without a preflight (it is not
 * CORS-safelisted), so such a request cannot be forged, and a body-less
 * action (kill, pause, ...) needs no content type. Without that header the
 * guard answers 401 when auth is on (nothing to forge: no credentials), and
 * with `BATON_AUTH=off` the rule holds: 415. PUT and DELETE are always
 * preflighted, and CORS is off unless configured.
 */
export function requireNonSimpleContentType(authRequired: boolean) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (req.method !== 'POST' || !path.startsWith('/api/')) {
      next();
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === '' && !hasBody(req) && (req.headers.authorization !== undefined || authRequired)) {
      next();
      return;
    }
    const accepted = DOCUMENT_PATHS.includes(path) ? WORKFLOW_TYPES : JSON_TYPES;
    if (accepted.includes(type)) {
      next();
      return;
    }
    // Drained, not read: the answer does not depend on it, and the connection stays usable.
    req.resume();
    res.statusCode = 415;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message:
          `POST ${path} needs Content-Type ${accepted.join(' or ')} (got ${type || 'none'}); ` +
          'a body-less action sends {} as application/json',
      }),
    );
  };
}

/** Whether the request announces a body (a length above 0, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
