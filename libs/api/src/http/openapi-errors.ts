import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

const ERROR = { $ref: '#/components/schemas/ErrorDto' };
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Completes the generated document with what every route does whatever its
 * decorators say, so the document matches the server (schemathesis checks
 * it): any route with parameters or a body can answer 400 (the validation
 * pipe), any body can be too large (413), any write can meet full storage
 * (503 with Retry-After), any POST refuses content types a browser could
 * post cross-site (415, `requireNonSimpleContentType`), and request bodies refuse unknown fields
 * (`forbidNonWhitelisted`), which the schema says with `additionalProperties: false`.
 * `@IsOptional` takes null (in a body) as absent, so optional fields say
 * `nullable`; an optional query parameter says `allowEmptyValue` when an
 * empty value reads as absent (integers: `queryInteger`) or fits its schema
 * (strings without a pattern, enum or minimum length; the others refuse it).
 */
export function completeErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, Operation | undefined][]) {
      if (operation === undefined || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses: Responses = operation.responses;
      const hasBody = operation.requestBody !== undefined;
      for (const parameter of operation.parameters ?? []) {
        if ('in' in parameter && parameter.in === 'query' && parameter.required !== true)
          if (acceptsEmptyString(parameter.schema)) parameter.allowEmptyValue = true;
      }
      if (hasBody || (operation.parameters ?? []).length > 0)
        add(responses, '400', 'Invalid request: `errors` lists each problem with its JSON path');
      if (hasBody) add(responses, '413', 'The body is larger than the API reads');
      if (method === 'post')
        add(responses, '415', 'A content type a browser could post cross-site (text/plain, a form)');
      if (WRITES.has(method)) {
        add(responses, '503', 'Storage is full; retry after the Retry-After header (seconds)', {
          'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' },
        });
      }
      const body = operation.requestBody;
      if (body !== undefined && 'content' in body) {
        for (const media of Object.values(body.content)) {
          const ref = media.schema !== undefined && '$ref' in media.schema ? media.schema.$ref : undefined;
          const schema = ref === undefined ? undefined : schemas[ref.replace('#/components/schemas/', '')];
          if (schema === undefined || '$ref' in schema) continue;
          if (schema.additionalProperties === undefined) schema.additionalProperties = false;
          for (const [name, property] of Object.entries(schema.properties ?? {})) {
            if (!(schema.required ?? []).includes(name) && !('$ref' in property)) property.nullable = true;
          }
        }
      }
    }
  }
  return document;
}

function add(
  responses: Responses,
  status: string,
  description: string,
  headers?: Record<string, { schema: { type: 'integer' }; description: string }>,
): void {
  if (responses[status] !== undefined) return;
  responses[status] = {
    description,
    content: { 'application/json': { schema: ERROR } },
    ...(headers === undefined ? {} : { headers }),
  };
}

/**
 * Whether an empty value of a query parameter reads as absent: integers do
 * (`queryInteger`); strings only without a pattern, enum or minimum length.
 */
function acceptsEmptyString(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null || '$ref' in schema) return false;
  const value = schema as { type?: unknown; pattern?: unknown; enum?: unknown; minLength?: unknown };
  if (value.type !== 'string') return true;
  return (
    value.pattern === undefined &&
    value.enum === undefined &&
    (typeof value.minLength !== 'number' || value.minLength === 0)
  );
}
