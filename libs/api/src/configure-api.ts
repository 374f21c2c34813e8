import { BadRequestException, type INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import type { FieldError } from './http/api.errors';
import { jsonBody } from './http/json-body.middleware';
import { methodNotAllowed } from './http/method-not-allowed.middleware';
import { completeErrorResponses } from './http/openapi-errors';
import { addResponseExamples } from './http/openapi-examples';
import { applyHttpSecurity, requireNonSimpleContentType, type HttpSecurity } from './http/http-security';
import { workflowSourceBody } from './http/workflow-source.middleware';
import { serveWebUi } from './http/web-ui';

/** Where the OpenAPI document is served: Swagger UI here, the JSON at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'api/docs';

/**
 * Everything an app hosting `ApiModule` applies before `listen`, so every
 * process serves the same API: security headers, CORS and body bounds
 * (`HttpSecurity`, the process config's `ApiConfig.http`), the content-type rule
 * that keeps browsers from posting cross-site, the raw body reader for
 * workflow documents and the bounded JSON body parser (both before Nest's
 * parsers, which `listen` installs later, and which skip a JSON parser already
 * named), the validation pipe, the OpenAPI document, and the web UI at `/`
 * (when built).
 */
export function configureApi<T extends INestApplication>(app: T, security: HttpSecurity): T {
  applyHttpSecurity(app, security);
  // An undeclared method is a 405 whatever it carries, before any body rule.
  app.use(methodNotAllowed());
  app.use(requireNonSimpleContentType(security.authRequired));
  app.use(workflowSourceBody());
  app.use(jsonBody(security.maxBodyBytes));
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  serveWebUi(app);
  return app;
}

/**
 * Validation at the edge: unknown fields are refused, query strings are
 * converted to the DTO's types, and a 400 lists every problem as
 * `{ path, message }` like a rejected workflow document does.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors, '$');
      return new BadRequestException({
        message: `invalid request: ${fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        errors: fieldErrors,
      });
    },
  });
}

/** Serves the OpenAPI document of every controller at `/api/docs` (Swagger UI) and `/api/docs-json`. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Baton API')
    .setDescription(
      'Workflows, runs and live status of Baton, the event-sourced workflow orchestrator. ' +
        'Times are epoch milliseconds. Errors answer { statusCode, message, errors? } where errors ' +
        'lists { path, message, line?, column? }.',
    )
    .setVersion('1')
    // Relative: the document is served by the API it describes (the api and all-in-one processes).
    .addServer('/', 'The server this document was fetched from')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'baton_<id>_<secret>, or a JWT',
      description:
        'An API token (baton token create), the BATON_ADMIN_TOKEN of the process, or an access token of the ' +
        'identity provider named by BATON_OIDC_ISSUER. Every route but /health/* and /metrics needs one.',
    })
    .build();
  SwaggerModule.setup(
    OPENAPI_PATH,
    app,
    () => addResponseExamples(completeErrorResponses(SwaggerModule.createDocument(app, config))),
    {
      jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    },
  );
}

function flatten(errors: readonly ValidationError[], parent: string): FieldError[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
