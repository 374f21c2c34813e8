import Ajv from 'ajv';
import type { OpenAPIObject } from '@nestjs/swagger';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { RESPONSE_EXAMPLES } from './openapi-examples';

jest.setTimeout(60_000);

let sut: ApiTestApp;
let document: OpenAPIObject;

beforeAll(async () => {
  sut = await startApiTestApp();
  document = (await (await fetch(`${sut.base}/api/docs-json`)).json()) as OpenAPIObject;
});

afterAll(() => sut.close());

type Operation = { operationId?: string; security?: unknown; responses: Record<string, ResponseObject> };
type ResponseObject = { content?: Record<string, { schema?: object; example?: unknown }> };

function operations(): { name: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}

describe('the OpenAPI document', () => {
  it("gives every operation a hand-picked operationId: unique, camelCase, never Nest's Controller_method[n]", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter((id) => id === undefined || !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['startRun', 'getRun', 'killRun', 'cancelRun', 'pushWorkflow']),
    );
  });

  it('names a server and the bearer scheme, which every route but health requires', () => {
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { name, operation } of operations()) {
      if (name.includes(' /health')) expect(operation.security).toBeUndefined();
      else expect({ name, security: operation.security }).toEqual({ name, security: [{ bearer: [] }] });
    }
  });

  it('shows an example with every 2xx JSON response, and each example fits its schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(nullableAsAnyOf({ ...document, $id: 'openapi' }), 'openapi');
    const examples: string[] = [];
    for (const { name, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/json'];
        if (!status.startsWith('2') || media === undefined) continue;
        expect({ name, example: media.example !== undefined }).toEqual({ name, example: true });
        const validate = ajv.compile(refsInto(media.schema!));
        const valid = validate(media.example);
        expect({ name, errors: valid ? null : validate.errors }).toEqual({ name, errors: null });
        examples.push(name);
      }
    }
    expect(examples.length).toBeGreaterThan(25);
    expect(Object.keys(RESPONSE_EXAMPLES).length).toBeGreaterThan(15);
  });
});

/**
 * OpenAPI 3.0's `nullable: true` beside an `allOf: [$ref]` admits null (as
 * schemathesis and generators read it); in JSON Schema the `allOf` would
 * still refuse it, so it becomes `anyOf: [null, the rest]`.
 */
function nullableAsAnyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(nullableAsAnyOf) as T;
  if (value === null || typeof value !== 'object') return value;
  const { nullable, ...rest } = Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, nullableAsAnyOf(v)]),
  ) as Record<string, unknown>;
  return (nullable === true ? { anyOf: [{ type: 'null' }, rest] } : rest) as T;
}

/** The schema with its `#/components/...` references pointed into the document registered as `openapi`. */
function refsInto(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')) as object;
}
